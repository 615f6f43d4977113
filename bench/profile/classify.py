#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0-or-later
"""Group perf samples of `hull run` loops into the phases of a container start.

    perf record -e cpu-clock -F 10000 -g -o perf.data -- LOOP
    perf script -i perf.data -F comm,pid,ip,sym,dso | bench/profile/classify.py RUNS

Each sample is put in the first category whose pattern matches a frame of its call chain, checked in the
order of CATEGORIES (most specific first); samples of other processes (the loop's shell) are left out.
Prints, per category, the share of the runtime's samples and the CPU time per run (samples / 10 kHz / RUNS).
"""
import collections
import re
import sys

# (name, regex on "sym dso" of any frame)
CATEGORIES = [
    ("container program (/bin/true: exec, run, exit)", None),  # by comm, see below
    ("dynamic loader (ld.so, relocations)", r"ld-linux-x86-64|_dl_relocate_object|_dl_map_object|dl_main"),
    ("exe seal: memfd copy (sendfile)", r"__x64_sys_sendfile64|do_sendfile"),
    ("execve/execveat of the runtime", r"__x64_sys_execve\b|__x64_sys_execveat|bprm_execve"),
    ("network namespace create", r"copy_net_ns"),
    ("other namespaces (mnt/pid/ipc/uts copy)", r"copy_namespaces|create_new_namespaces|copy_mnt_ns|copy_pid_ns|copy_ipcs"),
    ("cgroup v1/v2: mkdir", r"cgroup_mkdir"),
    ("cgroup v1/v2: rmdir", r"cgroup_rmdir"),
    ("cgroup: attach (cgroup.procs)", r"__cgroup1_procs_write|cgroup_procs_write|cgroup_attach_task|cgroup_migrate"),
    ("cgroup: other kernfs (open/read/write control files)", r"kernfs_fop_|kernfs_iop_|cgroup_file_"),
    ("mounts (new mount API, pivot_root, umount)", r"__x64_sys_fsopen|__do_sys_fsconfig|__do_sys_fsmount|__do_sys_move_mount|__x64_sys_open_tree|__x64_sys_mount_setattr|__do_sys_pivot_root|__x64_sys_umount|__x64_sys_mount\b|path_mount|namespace_unlock"),
    ("process exit and mm teardown", r"do_exit|exit_mmap|__mmput|do_group_exit"),
    ("fork/clone (excluding namespaces)", r"__do_sys_clone3|kernel_clone|copy_process|__x64_sys_vfork"),
    ("page faults", r"asm_exc_page_fault|exc_page_fault|handle_mm_fault"),
    ("state dir and files (mkdirat/unlinkat/renameat/openat/...)", r"__x64_sys_mkdirat|__x64_sys_unlinkat|__x64_sys_renameat|__x64_sys_openat|__x64_sys_openat2|__x64_sys_mknodat|__x64_sys_symlinkat|__x64_sys_fchownat"),
    ("other syscalls", r"entry_SYSCALL_64"),
    ("runtime user space (parse, plan, libc)", r"."),
]


def main():
    runs = int(sys.argv[1]) if len(sys.argv) > 1 else 1
    text = sys.stdin.read()
    counts = collections.Counter()
    total = 0
    compiled = [(n, re.compile(p) if p else None) for n, p in CATEGORIES]
    for block in text.split("\n\n"):
        lines = [l for l in block.strip().split("\n") if l.strip()]
        if not lines:
            continue
        head = lines[0].split()
        comm = head[0]
        frames = " | ".join(l.strip() for l in lines[1:])
        if comm in ("true",):
            counts[CATEGORIES[0][0]] += 1
            total += 1
            continue
        if not (comm.startswith("hull") or comm.startswith("memfd") or comm.startswith("crun") or comm.startswith("runc")):
            continue
        total += 1
        for name, rx in compiled[1:]:
            if rx.search(frames):
                counts[name] += 1
                break
    print(f"{total} samples, {total / 10.0 / runs:.2f} ms CPU per run (10 kHz sampling, {runs} runs)")
    for name, _ in CATEGORIES:
        c = counts[name]
        print(f"{100.0 * c / max(total, 1):5.1f}%  {c / 10.0 / runs:6.2f} ms  {name}")


if __name__ == "__main__":
    main()
