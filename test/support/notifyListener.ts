/**
 * A NOTIFY_SOCKET receiver for tests, run with python3 (Node has no unix
 * datagram sockets): an AF_UNIX datagram socket that closes every fd passed
 * with BARRIER=1 (else systemd-notify waits 5 s and fails) and prints
 * "listening", then each message as one line: milliseconds since start, a
 * space, the message with newlines as '|'.
 */
export const NOTIFY_LISTENER_PY = `
import socket, sys, os, array, time
s = socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM)
s.bind(sys.argv[1])
print("listening", flush=True)
t0 = time.monotonic()
while True:
    msg, anc, flags, addr = s.recvmsg(4096, socket.CMSG_SPACE(16 * 4))
    for level, kind, data in anc:
        if level == socket.SOL_SOCKET and kind == socket.SCM_RIGHTS:
            fds = array.array("i"); fds.frombytes(data[: len(data) - (len(data) % fds.itemsize)])
            for fd in fds: os.close(fd)
    print("%d %s" % (int((time.monotonic() - t0) * 1000), msg.decode().replace("\\n", "|")), flush=True)
`;
