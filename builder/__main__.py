"""`python3 -m builder` and the `glossator` program: the command line, with Ctrl-C answered while it loads."""
import sys


def main() -> None:
    try:
        from .cli import run
    except KeyboardInterrupt:  # Ctrl-C while the program loads (click, the modules it needs): no traceback
        print("interrupted", file=sys.stderr)
        raise SystemExit(130) from None
    run()


if __name__ == "__main__":
    main()
