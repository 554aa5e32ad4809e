"""`python3 -m builder` and the `glossator` program: the command line, with Ctrl-C answered while it loads."""
import sys

import _signal  # (the signal module without its enum: 6 ms more of loading in which Ctrl-C would be raised)

from . import CTRL_C, _note


def main() -> None:
    """Ctrl-C while the program loads (click, the modules it needs) is noted, not raised: raised, it could land in
    one of importlib's own callbacks, which print it with a traceback and go on, or in a compiled module's loading
    (orjson's). Once loaded, one line and 130, as a command answers it."""
    try:
        holding = _signal.getsignal(_signal.SIGINT) in (_signal.default_int_handler, _note)  # (ignored, it stays so)
        if holding:  # (where builder/__init__ did not already: run as `from builder.__main__ import main; main()`)
            _signal.signal(_signal.SIGINT, _note)
        import orjson  # noqa: F401 (its loading crashes the process, a segfault, where a Ctrl-C lands in what it imports)

        from .cli import run
        from .parallel import on_ctrl_c

        if holding:
            _signal.signal(_signal.SIGINT, on_ctrl_c)  # (which `run` keeps) no Ctrl-C lost between the two
        if CTRL_C:
            raise KeyboardInterrupt
        run()
    except KeyboardInterrupt:  # (from here on, until `run` is in a command)
        print("interrupted", file=sys.stderr)
        raise SystemExit(130) from None


if __name__ == "__main__":
    main()
