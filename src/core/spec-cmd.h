/* SPDX-License-Identifier: GPL-2.0-or-later */
/* `hull spec`: decides the settings of the hardened default config from the flags (Docker's
 * vocabulary) and hands them to oci_spec_template_json. CLI process, unprivileged: reads the
 * seccomp profile file when one is given, the running kernel's release and last capability, and
 * globs /sys for the host-dependent masked paths; writes nothing. The pieces are separate
 * functions so the unit tests can check each rule. See docs/security.md. */
#pragma once

#include <stdbool.h>
#include <stdint.h>

#include "error.h"
#include "hull/hull.h"

/* The capabilities of the hardened default: CAP_AUDIT_WRITE, CAP_KILL, CAP_NET_BIND_SERVICE. */
char *const *spec_default_caps(void);

/* A capability name as Docker reads it: upper-cased, "CAP_" added when missing ("sys_admin",
 * "SYS_ADMIN", "cap_sys_admin" are CAP_SYS_ADMIN); "all" in any case is "ALL". Writes the number
 * to *ret_cap (-1 for ALL). An empty or unknown name is an error naming the flag: 'unknown
 * capability "CAP_FOO" in --cap-add'. */
int spec_cap_parse(const char *name, const char *flag, int *ret_cap, struct hull_error **err);

/* Docker's TweakCapabilities over the bounding set base (a bit mask): with "ALL" in add, every
 * capability up to last_cap (that has a name) except those in drop; else with "ALL" in drop, exactly add; else base
 * minus drop, plus add (so a capability in both lists is kept: adding wins, as in Docker). The
 * result is a mask; capabilities above last_cap in add are kept (the runtime warns about and
 * skips those the kernel lacks). */
int spec_caps_tweak(uint64_t base, char *const *add, char *const *drop, unsigned last_cap, uint64_t *ret,
                    struct hull_error **err);

/* The mask of a list of names (spelled as spec_cap_parse takes them; "ALL" is every capability
 * up to last_cap); errors name flag. names may be NULL (empty). */
int spec_caps_mask(char *const *names, const char *flag, unsigned last_cap, uint64_t *ret, struct hull_error **err);

/* The mask as a NULL-terminated vector of names, in capability order (free with strv_free). */
char **spec_caps_names(uint64_t mask);

enum spec_seccomp_mode {
	SPEC_SECCOMP_DEFAULT, /* hull's built-in profile */
	SPEC_SECCOMP_FILE, /* seccomp=FILE */
	SPEC_SECCOMP_UNCONFINED, /* seccomp=unconfined: no linux.seccomp */
};

/* The --security-opt values, parsed. Later options override earlier ones; label options
 * accumulate in order. */
struct spec_security {
	bool no_new_privileges_set, no_new_privileges;
	enum spec_seccomp_mode seccomp;
	char *seccomp_file;
	char *apparmor_profile;
	char **label_opts; /* "user:U", "role:R", "type:T", "level:L", "filetype:T", "disable" */
	bool systempaths_unconfined;
};
void spec_security_done(struct spec_security *s);

/* Parses --security-opt values: "no-new-privileges" (= true), "no-new-privileges=BOOL" (BOOL as
 * Go's ParseBool: 1 t T TRUE true True 0 f F FALSE false False), "seccomp=FILE|unconfined",
 * "apparmor=PROFILE", "label=OPT", "systempaths=unconfined"; the deprecated "KEY:VALUE" form too.
 * Errors name the option: 'invalid --security-opt "foo=bar": unknown option "foo"'. */
int spec_security_parse(char *const *opts, struct spec_security *ret, struct hull_error **err);

/* process.selinuxLabel and linux.mountLabel from label options, as Docker builds them
 * (go-selinux InitLabels) from the container defaults system_u:system_r:container_t:s0 and
 * system_u:object_r:container_file_t:s0: user and level go to both, role and type to the
 * process label, filetype to the mount label; "disable" gives no process label and the plain
 * mount label. No MCS categories are picked (an engine's job): pass level:s0:cN,cM for them.
 * Empty or malformed values are errors. With no options both are NULL. */
int spec_selinux_labels(char *const *label_opts, char **ret_process, char **ret_mount, struct hull_error **err);

/* --user UID[:GID]: decimal ids below 2^32-1; GID defaults to UID. */
int spec_user_parse(const char *s, uint32_t *ret_uid, uint32_t *ret_gid, struct hull_error **err);

/* --hostname: RFC 1123 (letters, digits, '-', dot-separated labels of 1..63 characters not
 * starting or ending with '-'), at most 64 characters. */
int spec_hostname_validate(const char *s, struct hull_error **err);

/* The whole command: hull_spec's implementation. */
int spec_cmd_build(const struct hull_spec_opts *opts, char **ret_json, struct hull_error **err);
