from clerkapp.cli.main import main

if __name__ == "__main__":  # importing this module (e.g. a spawned process) must not run the app
    raise SystemExit(main())
