from clerkapp.cli.main import main

raise SystemExit(main())
