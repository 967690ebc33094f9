import sys

if sys.argv[1:3] == ["pairs", "match"]:
    # The matcher's time limit counts from the process start: skip app.cli, whose imports
    # (settings, databases, migrations, the vault: seconds under load) this command never uses.
    from app.pairing.command import run

    sys.exit(run(sys.argv[3:], count_process_start=True))

from app.cli import main

sys.exit(main(sys.argv[1:]))
