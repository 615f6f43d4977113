/* SPDX-License-Identifier: GPL-2.0-or-later */
/* The loopback interface of a new network namespace. A new network namespace starts with `lo`
 * down, and runc and crun bring it up: a container without other interfaces still expects
 * 127.0.0.1 to work (servers binding to localhost, rootless containers that are offline on
 * purpose). Nothing else of the namespace is configured: that is the engine's CNI/netavark job.
 *
 * Which process: the child, after it entered its namespaces and before it drops capabilities
 * (CAP_NET_ADMIN over the network namespace). Only for a network namespace hull created, never
 * for one joined by path (it belongs to whoever made it). */
#pragma once

#include "error.h"

/* Sets IFF_UP on "lo" (a no-op when it is up already). */
int netif_loopback_up(struct hull_error **err);
