"""`glossator serve`: the preview engine (engine.py) and the folder it writes (folder.py), its web server
(server.py), what it adds to pages (overlay.py) and the file watcher (watch.py)."""
from .server import PreviewServer, run

__all__ = ["PreviewServer", "run"]
