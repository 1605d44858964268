"""A real SMTP server (aiosmtpd) for Hubbub's email tests.

    python smtp_server.py PORT MAILDIR

Accepts every message and writes it, as received, to MAILDIR/<n>.eml (written to a
temporary name first, then renamed, so a reader never sees half a file). Prints
`READY <port>` once it listens (PORT 0 picks a free one) and exits when stdin closes.
"""

import os
import socket
import sys

from aiosmtpd.controller import Controller


class Store:
    def __init__(self, directory):
        self.directory = directory
        self.count = 0

    async def handle_DATA(self, server, session, envelope):
        self.count += 1
        final = os.path.join(self.directory, f"{self.count:04d}.eml")
        partial = final + ".part"
        with open(partial, "wb") as f:
            f.write(f"X-Envelope-To: {', '.join(envelope.rcpt_tos)}\r\n".encode())
            f.write(envelope.original_content)
        os.rename(partial, final)
        return "250 OK"


def main():
    port = int(sys.argv[1])
    if port == 0:
        # aiosmtpd's Controller cannot take port 0: ask the OS for a free one.
        with socket.socket() as probe:
            probe.bind(("127.0.0.1", 0))
            port = probe.getsockname()[1]
    directory = sys.argv[2]
    os.makedirs(directory, exist_ok=True)
    controller = Controller(Store(directory), hostname="127.0.0.1", port=port)
    controller.start()
    print(f"READY {controller.port}", flush=True)
    sys.stdin.read()
    controller.stop()


if __name__ == "__main__":
    main()
