"""A way back: readable backup names, ``tracker restore``, ``init --force`` keeps a backup, and no
lock file left beside a tracker."""

from __future__ import annotations

import os
from datetime import datetime
from pathlib import Path

import pytest
from click.testing import CliRunner
from support.episodes import tracker_episode, write_json
from test_tracker_helpers import table_rows

from formkit.cli import cli
from formkit.tracker import create_tracker, update_tracker
from formkit.tracker.backups import list_backups
from formkit.tracker.save import backup_folder, keep_backup

MOMENT = datetime(2026, 11, 30, 18, 39, 44)


@pytest.fixture
def tracker(tmp_path: Path) -> Path:
    made = create_tracker(tmp_path / "tracker.xlsx")
    source = write_json(tmp_path / "e.json", [tracker_episode(f"TST-{n}") for n in (1, 2)])
    update_tracker(made, [source])
    for backup in backup_folder(made).iterdir():  # the update kept one at the real time
        backup.unlink()
    return made


def _references(path: Path) -> list[str]:
    return [row["Episode reference"] for row in table_rows(path)]


def test_backups_have_names_a_person_can_read_and_stay_unique(tracker: Path) -> None:
    folder = backup_folder(tracker)
    names = [keep_backup(tracker, moment=MOMENT).name for _ in range(4)]
    assert names == [
        "tracker 2026-11-30 18.39.xlsx",
        "tracker 2026-11-30 18.39.44.xlsx",
        "tracker 2026-11-30 18.39.44 (2).xlsx",
        "tracker 2026-11-30 18.39.44 (3).xlsx",
    ]
    assert folder == tracker.parent / "tracker-backups"
    assert all((folder / name).read_bytes() == tracker.read_bytes() for name in names)
    # Newest first: the counter and the seconds order backups taken in one minute.
    listed = [b.path.name for b in list_backups(tracker)]
    assert listed[:4] == list(reversed(names))


def test_only_the_newest_backups_are_kept(tracker: Path) -> None:
    for minute in range(12):
        keep_backup(tracker, keep=10, moment=MOMENT.replace(minute=minute))
    names = sorted(p.name for p in backup_folder(tracker).iterdir())
    assert len(names) == 10
    assert names[0] == "tracker 2026-11-30 18.02.xlsx"


def test_older_backup_names_are_listed_too(tracker: Path) -> None:
    folder = backup_folder(tracker)
    (folder / "tracker-20261130T183944147801.xlsx").write_bytes(tracker.read_bytes())
    (folder / "notes.txt").write_text("not a backup")
    keep_backup(tracker, moment=MOMENT.replace(hour=19))
    names = [b.path.name for b in list_backups(tracker)]
    assert names[:2] == ["tracker 2026-11-30 19.39.xlsx", "tracker-20261130T183944147801.xlsx"]
    assert "notes.txt" not in names


def test_init_refuses_to_replace_a_tracker_with_rows(tracker: Path) -> None:
    before = tracker.read_bytes()
    result = CliRunner().invoke(cli, ["tracker", "init", str(tracker)])
    assert result.exit_code == 1
    assert result.output == (
        f"Error: {tracker}: already holds 2 episode rows; 'tracker init' would replace it with "
        "an empty tracker. Nothing was changed. To start again anyway, add --force (the old "
        "tracker is kept as a backup first)\n"
    )
    assert tracker.read_bytes() == before


def test_init_force_keeps_a_backup_first_and_says_so(tracker: Path) -> None:
    rows_before = _references(tracker)
    result = CliRunner().invoke(cli, ["tracker", "init", str(tracker), "--force"])
    assert result.exit_code == 0, result.output
    (backup,) = [b.path for b in list_backups(tracker) if _references(b.path) == rows_before]
    assert result.output == (
        f"replaced {tracker} with an empty tracker; the old one (2 rows) is kept as {backup}\n"
        f'to put it back: formkit tracker restore {tracker} "{backup.name}"\n'
    )
    assert _references(tracker) == []
    # ... and the way back works.
    restored = CliRunner().invoke(cli, ["tracker", "restore", str(tracker), backup.name])
    assert restored.exit_code == 0, restored.output
    assert _references(tracker) == rows_before


def test_init_force_on_an_empty_tracker_and_on_a_new_file(tmp_path: Path) -> None:
    path = tmp_path / "new.xlsx"
    first = CliRunner().invoke(cli, ["tracker", "init", str(path), "--force"])
    assert first.output == f"created {path}\n"
    again = CliRunner().invoke(cli, ["tracker", "init", str(path)])
    assert again.exit_code == 1
    assert again.output == f"Error: {path}: already exists; use --force to replace it\n"
    assert not list(tmp_path.glob(".*"))  # no lock file beside it


def test_restore_list_shows_backups_newest_first_with_time_and_rows(
    tracker: Path, tmp_path: Path
) -> None:
    folder = backup_folder(tracker)
    first = keep_backup(tracker, moment=MOMENT)  # 2 rows
    update_tracker(tracker, [write_json(tmp_path / "more.json", [tracker_episode("TST-3")])])
    for backup in folder.iterdir():  # the one that update kept, at the real time
        if backup != first:
            backup.unlink()
    keep_backup(tracker, moment=MOMENT.replace(hour=19, minute=2))  # 3 rows
    (folder / "tracker 2026-11-30 20.00.xlsx").write_bytes(b"not a workbook")
    result = CliRunner().invoke(cli, ["tracker", "restore", str(tracker), "--list"])
    assert result.exit_code == 0, result.output
    assert result.output == (
        f"Backups of {tracker} in {folder}, newest first:\n"
        "  tracker 2026-11-30 20.00.xlsx  30/11/2026 20:00     cannot be read: is not an "
        "Excel workbook (.xlsx): it is not a zip package\n"
        "  tracker 2026-11-30 19.02.xlsx  30/11/2026 19:02     3 rows\n"
        "  tracker 2026-11-30 18.39.xlsx  30/11/2026 18:39     2 rows\n"
    )


def test_restore_list_with_no_backups(tmp_path: Path) -> None:
    path = create_tracker(tmp_path / "t.xlsx")
    result = CliRunner().invoke(cli, ["tracker", "restore", str(path), "--list"])
    assert result.exit_code == 0
    assert result.output == (
        f"{path} has no backups yet; formkit keeps one in {tmp_path / 't-backups'} each time "
        "it changes the tracker\n"
    )


def test_restore_is_itself_backed_up(tracker: Path, tmp_path: Path) -> None:
    backup = keep_backup(tracker, moment=MOMENT)
    update_tracker(tracker, [write_json(tmp_path / "more.json", [tracker_episode("TST-3")])])
    three = tracker.read_bytes()
    result = CliRunner().invoke(cli, ["tracker", "restore", str(tracker), backup.name])
    assert result.exit_code == 0, result.output
    newest = list_backups(tracker)[0].path
    assert result.output == (
        f"restored {tracker} from {backup.name} (2 rows); the version it replaced (3 rows) "
        f"is kept as {newest}\n"
    )
    assert newest.read_bytes() == three
    assert _references(tracker) == ["TST-1", "TST-2"]
    assert backup.exists()  # the backup restored from is still there
    assert not list(tmp_path.glob(".tracker.xlsx.*"))  # no lock or temporary file left


def test_restore_refuses_what_is_not_a_backup_or_not_a_tracker(tracker: Path) -> None:
    before = tracker.read_bytes()
    runner = CliRunner()
    missing = runner.invoke(cli, ["tracker", "restore", str(tracker), "nope.xlsx"])
    assert missing.exit_code == 1
    assert missing.output == (
        f"Error: {tracker}: there is no backup 'nope.xlsx' in {backup_folder(tracker)}; "
        f"'formkit tracker restore {tracker} --list' shows the backups there are\n"
    )
    junk = backup_folder(tracker) / "tracker 2026-11-30 18.00.xlsx"
    junk.write_bytes(b"PK\x03\x04 garbage")
    damaged = runner.invoke(cli, ["tracker", "restore", str(tracker), junk.name])
    assert damaged.exit_code == 1
    assert damaged.output.startswith(f"Error: {junk}: ")
    assert tracker.read_bytes() == before
    usage = runner.invoke(cli, ["tracker", "restore", str(tracker)])
    assert usage.exit_code == 2
    assert "give either --list or the BACKUP to restore (see --list)" in usage.output
    both = runner.invoke(cli, ["tracker", "restore", str(tracker), junk.name, "--list"])
    assert both.exit_code == 2


def test_restore_refuses_while_excel_has_the_tracker_open(tracker: Path) -> None:
    backup = keep_backup(tracker, moment=MOMENT)
    owner = tracker.with_name("~$" + tracker.name)
    owner.write_bytes(b"someone")
    result = CliRunner().invoke(cli, ["tracker", "restore", str(tracker), backup.name])
    assert result.exit_code == 1
    assert "is open in Excel" in result.output


def test_no_lock_file_is_left_after_any_run(tracker: Path, tmp_path: Path) -> None:
    runner = CliRunner()
    source = write_json(tmp_path / "e2.json", [tracker_episode("TST-5")])
    runner.invoke(cli, ["tracker", "update", str(tracker), str(source)])
    missing = tmp_path / "never-made.xlsx"
    result = runner.invoke(cli, ["tracker", "update", str(missing), str(source)])
    assert result.exit_code == 1
    assert result.output.splitlines()[-1] == (
        f"Error: {missing}: no such tracker; make one with 'formkit tracker init' first"
    )
    assert sorted(p.name for p in tmp_path.iterdir() if p.name.startswith(".")) == []


def test_a_waiting_run_takes_the_lock_after_the_file_is_removed(tracker: Path) -> None:
    """The lock file is removed before the lock is let go: a run that waited on it must still
    exclude a third run (filelock notices the file has no name any more)."""
    import threading

    from formkit.tracker.save import lock_path, tracker_lock

    order: list[str] = []
    first_in = threading.Event()

    def hold(name: str, wait: float) -> None:
        with tracker_lock(tracker, timeout=30):
            order.append(f"{name} in")
            first_in.set()
            threading.Event().wait(wait)
            order.append(f"{name} out")

    threads = [threading.Thread(target=hold, args=("a", 0.3))]
    threads[0].start()
    first_in.wait(5)
    threads += [threading.Thread(target=hold, args=(n, 0.1)) for n in ("b", "c")]
    for thread in threads[1:]:
        thread.start()
    for thread in threads:
        thread.join(30)
    # Never two inside at once: every "in" is followed by its own "out".
    assert [entry.split()[1] for entry in order] == ["in", "out"] * 3
    assert not lock_path(tracker).exists()
    assert os.listdir(tracker.parent).count(lock_path(tracker).name) == 0


def test_a_damaged_tracker_can_be_restored_and_is_kept(tracker: Path) -> None:
    backup = keep_backup(tracker, moment=MOMENT)
    tracker.write_bytes(b"PK\x03\x04 what is left after a bad sync")
    result = CliRunner().invoke(cli, ["tracker", "restore", str(tracker), backup.name])
    assert result.exit_code == 0, result.output
    newest = list_backups(tracker)[0].path
    assert result.output == (
        f"restored {tracker} from {backup.name} (2 rows); the version it replaced is kept as "
        f"{newest}\n"
    )
    assert _references(tracker) == ["TST-1", "TST-2"]
    assert newest.read_bytes().startswith(b"PK\x03\x04 what is left")


def test_a_backup_named_with_seconds_is_newer_than_one_without_in_the_same_minute(
    tracker: Path,
) -> None:
    # The name without seconds is always taken first in a minute; one taken at hh:mm:00 that
    # had to carry its seconds must still list as the newer (the order once tied on it).
    moment = MOMENT.replace(second=0)
    first = keep_backup(tracker, moment=moment)
    second = keep_backup(tracker, moment=moment)
    assert second.name.endswith(".00.xlsx"), second.name
    assert [b.path for b in list_backups(tracker)][:2] == [second, first]
