from __future__ import annotations

from datetime import date

from clerkapp.cli.main import main


def test_cli_prints_files_and_count(court_store, tmp_path, capsys):
    out = tmp_path / "orders"
    assert main(["--db", str(court_store.path), "orders", str(out), "--by", "Clerk Cli"]) == 0
    lines = capsys.readouterr().out.strip().splitlines()
    assert lines[-1] == "4 per-case order(s) covering 5 conviction(s)"
    numbers, paths = zip(*(line.split("\t") for line in lines[:-1]), strict=True)
    assert sorted(paths) == sorted(str(p) for p in out.iterdir())
    year = date.today().year
    assert sorted(numbers) == [f"{year}-P64-{n:05d}" for n in range(1, 5)]
    assert main(["--db", str(court_store.path), "orders", str(out), "--bulk"]) == 2
    err = capsys.readouterr().err
    assert err.startswith("clerkapp: 5 of the 5 conviction(s) to print already have an order")
    assert err.count("\n") == 1
    assert main(["--db", str(court_store.path), "orders", str(out), "--bulk",
                 "--supersede", "one bulk order instead"]) == 0
    captured = capsys.readouterr()
    assert f"supersedes Order No. {year}-P64-00001, " in captured.err
    assert "for 5 conviction(s)" in captured.err
    lines = captured.out.strip().splitlines()
    assert lines[-1] == "1 bulk order covering 5 conviction(s), 1 reprint(s)"
    assert lines[0] == f"{year}-P64-00005\t" + lines[0].split("\t")[1]
    assert lines[0].endswith("_5-convictions.pdf")
    assert main(["--db", str(court_store.path), "orders", "--history", "2"]) == 0
    history = [line.split("\t") for line in capsys.readouterr().out.strip().splitlines()]
    assert [h[0] for h in history] == [f"{year}-P64-00005", f"{year}-P64-00004"]
    # the per-case order the bulk order superseded is vacated as to its conviction
    assert [h[2] for h in history] == ["bulk (reprint)",
                                       "per case (vacated as to 1 by a later order)"]


def test_cli_refuses_other_statuses(court_store, tmp_path, capsys):
    code = main(["--db", str(court_store.path), "orders", str(tmp_path / "o"), "--status", "denied"])
    assert code == 2
    err = capsys.readouterr().err
    assert "orders are printed only for approved decisions; status 'denied'" in err
    assert not (tmp_path / "o").exists()


def test_cli_template_error_is_one_line(court_store, tmp_path, capsys):
    bad = tmp_path / "t.toml"
    bad.write_text('[template]\nkind = "case"\n', encoding="utf-8")
    code = main(["--db", str(court_store.path), "orders", str(tmp_path / "o"), "--template", str(bad)])
    assert code == 2
    assert capsys.readouterr().err.strip() == "clerkapp: t.toml: required key template.name is missing"
