#!/usr/bin/python3
# SPDX-License-Identifier: GPL-2.0-or-later
"""A minimal Kubernetes CRI (runtime.v1) client, standing in for the kubelet (or crictl, which Debian does not
ship) in tests/ecosystem/cri.bats. It speaks gRPC through Debian's python3-grpcio and encodes the few protobuf
messages it needs by hand (field numbers from the CRI api.proto), so no generated code is needed.

    cri-client.py SOCKET COMMAND [ARGS...]

Commands (output on stdout; a failed call exits 1 with the gRPC error on stderr):
    version                                   runtime name and version
    status                                    RuntimeReady/NetworkReady conditions
    run-pod HANDLER                           RunPodSandbox with runtime_handler HANDLER; prints the pod id
    create POD_ID NAME IMAGE LOG_PATH ARG...  CreateContainer (host network pod); prints the container id
    start ID | stop ID TIMEOUT | rm ID        StartContainer, StopContainer, RemoveContainer
    container-status ID                       prints "STATE EXIT_CODE" (CONTAINER_RUNNING 0, ...)
    exec ID TIMEOUT ARG...                    ExecSync: prints stdout, exits with the command's exit code
    update ID MEMORY_BYTES                    UpdateContainerResources (memory limit)
    stop-pod ID | rm-pod ID                   StopPodSandbox, RemovePodSandbox
    list-images                               repo tags of the images the CRI plugin sees

The pod sandbox config comes from the environment, identical for run-pod and create: POD_NAME, POD_UID,
POD_NAMESPACE, POD_CGROUP_PARENT, POD_LOG_DIR. The pod uses the host network (no CNI needed).
"""
import os
import sys

import grpc

# --- protobuf wire format ----------------------------------------------------------------------------------


def _varint(n):
    if n < 0:
        n += 1 << 64
    out = bytearray()
    while True:
        b = n & 0x7F
        n >>= 7
        if n:
            out.append(b | 0x80)
        else:
            out.append(b)
            return bytes(out)


def f_varint(num, value):
    return _varint(num << 3 | 0) + _varint(int(value)) if value else b""


def f_bytes(num, value):
    if isinstance(value, str):
        value = value.encode()
    return _varint(num << 3 | 2) + _varint(len(value)) + value


def f_str(num, value):
    return f_bytes(num, value) if value else b""


def f_msg(num, body):
    return f_bytes(num, body)


def decode(buf):
    """Returns {field number: [values]}; varints as int, length-delimited as bytes."""
    fields = {}
    i = 0
    while i < len(buf):
        key, i = _read_varint(buf, i)
        num, wt = key >> 3, key & 7
        if wt == 0:
            v, i = _read_varint(buf, i)
        elif wt == 2:
            n, i = _read_varint(buf, i)
            v = bytes(buf[i:i + n])
            i += n
        elif wt == 1:
            v = bytes(buf[i:i + 8])
            i += 8
        elif wt == 5:
            v = bytes(buf[i:i + 4])
            i += 4
        else:
            raise ValueError("unsupported wire type %d" % wt)
        fields.setdefault(num, []).append(v)
    return fields


def _read_varint(buf, i):
    shift = n = 0
    while True:
        b = buf[i]
        i += 1
        n |= (b & 0x7F) << shift
        shift += 7
        if not b & 0x80:
            return n, i


def first(fields, num, default=None):
    v = fields.get(num)
    return v[0] if v else default


def as_int32(n):
    n &= (1 << 64) - 1
    return n - (1 << 64) if n >= 1 << 63 else n


# --- CRI messages (runtime.v1) -----------------------------------------------------------------------------

NAMESPACE_NODE = 2
CONTAINER_STATES = ["CONTAINER_CREATED", "CONTAINER_RUNNING", "CONTAINER_EXITED", "CONTAINER_UNKNOWN"]


def pod_config():
    env = os.environ
    metadata = (f_str(1, env.get("POD_NAME", "hull-eco-pod")) + f_str(2, env.get("POD_UID", "hull-eco-uid")) +
                f_str(3, env.get("POD_NAMESPACE", "default")))
    # NamespaceOption{network: NODE}: the host network, so the pod needs no CNI plugin.
    ns_options = f_varint(1, NAMESPACE_NODE)
    security = f_msg(1, ns_options)
    linux = f_str(1, env.get("POD_CGROUP_PARENT", "")) + f_msg(2, security)
    # No hostname: the kubelet leaves it empty for a host network pod (it has no UTS namespace of its own).
    return f_msg(1, metadata) + f_str(3, env.get("POD_LOG_DIR", "")) + f_msg(8, linux)


class Cri:
    def __init__(self, socket):
        self.channel = grpc.insecure_channel("unix://" + socket)

    def call(self, service, method, request):
        fn = self.channel.unary_unary("/runtime.v1.%s/%s" % (service, method),
                                      request_serializer=lambda b: b, response_deserializer=lambda b: b)
        return decode(fn(request, timeout=60))

    def runtime(self, method, request=b""):
        return self.call("RuntimeService", method, request)


def main(argv):
    if len(argv) < 3:
        sys.stderr.write(__doc__)
        return 2
    cri = Cri(argv[1])
    cmd, args = argv[2], argv[3:]
    if cmd == "version":
        r = cri.runtime("Version", f_str(1, "v1"))
        print(first(r, 2, b"").decode(), first(r, 3, b"").decode(), first(r, 4, b"").decode())
    elif cmd == "status":
        r = cri.runtime("Status")
        for cond in decode(first(r, 1, b"")).get(1, []):
            c = decode(cond)
            print(first(c, 1, b"").decode(), bool(first(c, 2, 0)), first(c, 3, b"").decode())
    elif cmd == "run-pod":
        r = cri.runtime("RunPodSandbox", f_msg(1, pod_config()) + f_str(2, args[0]))
        print(first(r, 1, b"").decode())
    elif cmd == "create":
        pod_id, name, image, log_path, cargs = args[0], args[1], args[2], args[3], args[4:]
        config = f_msg(1, f_str(1, name)) + f_msg(2, f_str(1, image))
        for a in cargs:
            config += f_bytes(3, a)
        config += f_str(11, log_path)
        r = cri.runtime("CreateContainer", f_str(1, pod_id) + f_msg(2, config) + f_msg(3, pod_config()))
        print(first(r, 1, b"").decode())
    elif cmd == "start":
        cri.runtime("StartContainer", f_str(1, args[0]))
    elif cmd == "stop":
        cri.runtime("StopContainer", f_str(1, args[0]) + f_varint(2, int(args[1])))
    elif cmd == "rm":
        cri.runtime("RemoveContainer", f_str(1, args[0]))
    elif cmd == "container-status":
        r = cri.runtime("ContainerStatus", f_str(1, args[0]))
        st = decode(first(r, 1, b""))
        print(CONTAINER_STATES[first(st, 3, 0)], as_int32(first(st, 7, 0)))
    elif cmd == "exec":
        req = f_str(1, args[0])
        for a in args[2:]:
            req += f_bytes(2, a)
        req += f_varint(3, int(args[1]))
        r = cri.runtime("ExecSync", req)
        sys.stdout.write(first(r, 1, b"").decode())
        sys.stderr.write(first(r, 2, b"").decode())
        return as_int32(first(r, 3, 0))
    elif cmd == "update":
        resources = f_varint(4, int(args[1]))
        cri.runtime("UpdateContainerResources", f_str(1, args[0]) + f_msg(2, resources))
    elif cmd == "stop-pod":
        cri.runtime("StopPodSandbox", f_str(1, args[0]))
    elif cmd == "rm-pod":
        cri.runtime("RemovePodSandbox", f_str(1, args[0]))
    elif cmd == "list-images":
        r = cri.call("ImageService", "ListImages", b"")
        for img in r.get(1, []):
            for tag in decode(img).get(2, []):
                print(tag.decode())
    else:
        sys.stderr.write("cri-client: unknown command %s\n" % cmd)
        return 2
    return 0


if __name__ == "__main__":
    try:
        sys.exit(main(sys.argv))
    except grpc.RpcError as e:
        sys.stderr.write("cri-client: %s: %s\n" % (e.code(), e.details()))
        sys.exit(1)
