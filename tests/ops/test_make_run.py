"""`make run`'s banner and links follow QUIPU_PORT, its e-mails go to files, and Ctrl-C stops it
cleanly: the worker's supervisor is told once and the shell no longer overflows its stack
("Segmentation fault") re-running its own trap (issue 14, item 10)."""

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]


def _dry_run(*args: str) -> str:
    # -o: the environment and catalogues count as made, so nothing is installed or compiled.
    made = ["-o", ".venv/.core", "-o", ".venv/.test", "-o", "setup"]
    result = subprocess.run(
        ["make", "-n", *made, "run", *args], cwd=ROOT, capture_output=True, text=True, check=True
    )
    return result.stdout


def test_the_banner_and_the_server_use_quipu_port():
    commands = _dry_run("QUIPU_PORT=8123")
    assert "http://127.0.0.1:8123" in commands
    assert "runserver 127.0.0.1:8123" in commands
    assert "8000" not in commands


def test_quipu_port_from_the_environment_is_used_too():
    env = {**os.environ, "QUIPU_PORT": "8124"}
    made = ["-o", ".venv/.core", "-o", ".venv/.test", "-o", "setup"]
    commands = subprocess.run(
        ["make", "-n", *made, "run"], cwd=ROOT, env=env, capture_output=True, text=True, check=True
    ).stdout
    assert "http://127.0.0.1:8124" in commands and "8000" not in commands


def test_email_links_follow_quipu_port_unless_a_base_url_is_given():
    code = "from django.conf import settings; print(settings.QUIPU_BASE_URL)"
    env = {k: v for k, v in os.environ.items() if k != "QUIPU_BASE_URL"}
    env.update(QUIPU_PORT="8125", DJANGO_SETTINGS_MODULE="quipu.config.settings")
    out = subprocess.run(
        [sys.executable, "-c", f"import django; django.setup(); {code}"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    assert out.strip() == "http://127.0.0.1:8125"


@pytest.fixture
def fake_quipu(tmp_path):
    """Stands in for .venv/bin/quipu: records how the worker stops, serves nothing."""
    script = tmp_path / "quipu"
    script.write_text(
        "#!/bin/bash\n"
        'case "$1" in\n'
        '  runserver) echo "serving on $2"; exec sleep 60 ;;\n'
        f"  worker) trap 'echo worker stopped >> {tmp_path}/log; kill $!; exit 0' TERM INT;"
        " sleep 60 & wait ;;\n"
        "esac\n"
    )
    script.chmod(0o755)
    return script


def test_ctrl_c_stops_make_run_without_a_segmentation_fault(fake_quipu, tmp_path):
    made = ["-o", ".venv/.core", "-o", ".venv/.test", "-o", "setup"]
    run = subprocess.Popen(
        ["make", *made, "run", f"QUIPU={fake_quipu}", "QUIPU_PORT=8126"],
        cwd=ROOT,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
        start_new_session=True,  # its own process group, as a terminal gives it
    )
    for line in run.stdout:
        if line.startswith("serving on"):
            break
    time.sleep(0.5)  # the worker's trap is set
    os.killpg(run.pid, signal.SIGINT)  # what Ctrl-C does
    rest = run.stdout.read()
    assert run.wait(timeout=30) is not None
    assert "Segmentation fault" not in rest
    assert (tmp_path / "log").read_text().count("worker stopped") == 1


def test_the_supervisor_passes_on_one_stop_then_a_second_after_the_grace(tmp_path):
    """A Ctrl-C reaches the supervisor only (the worker has its own session); the worker is
    told once, and once more when it has not stopped within the grace period."""
    log = tmp_path / "signals"
    worker = (
        "import signal, sys, time\n"
        f"log = open({str(log)!r}, 'a', buffering=1)\n"
        "count = 0\n"
        "def stop(signum, frame):\n"
        "    global count\n"
        "    count += 1\n"
        "    log.write(signal.Signals(signum).name + '\\n')\n"
        "    if count == 2: sys.exit(0)\n"
        "signal.signal(signal.SIGTERM, stop); signal.signal(signal.SIGINT, stop)\n"
        "log.write('started\\n')\n"
        "while True: time.sleep(0.1)\n"
    )
    supervisor = (
        "import sys\n"
        "from quipu.ops.supervisor import supervise\n"
        f"sys.exit(supervise([sys.executable, '-c', {worker!r}], grace=1.0))\n"
    )
    process = subprocess.Popen([sys.executable, "-c", supervisor], cwd=ROOT, start_new_session=True)
    for _ in range(100):
        if log.exists() and "started" in log.read_text():
            break
        time.sleep(0.1)
    os.killpg(process.pid, signal.SIGINT)
    assert process.wait(timeout=20) == 0
    assert log.read_text().split() == ["started", "SIGTERM", "SIGTERM"]


def test_a_worker_does_not_outlive_its_killed_supervisor(tmp_path):
    """kill -9 of the supervisor (an out-of-memory kill, a crash drill) stops its worker too:
    the worker has its own session, so the supervisor's process group does not hold it."""
    pid_file = tmp_path / "worker.pid"
    worker = (
        "import os, time\n"
        f"open({str(pid_file)!r}, 'w').write(str(os.getpid()))\n"
        "while True: time.sleep(0.1)\n"
    )
    supervisor = (
        "import sys\n"
        "from quipu.ops.supervisor import supervise\n"
        f"sys.exit(supervise([sys.executable, '-c', {worker!r}]))\n"
    )
    process = subprocess.Popen([sys.executable, "-c", supervisor], cwd=ROOT, start_new_session=True)
    for _ in range(200):
        if pid_file.exists() and pid_file.read_text():
            break
        time.sleep(0.1)
    worker_pid = int(pid_file.read_text())
    os.killpg(process.pid, signal.SIGKILL)
    process.wait(timeout=20)
    for _ in range(200):
        if not _alive(worker_pid):
            break
        time.sleep(0.1)
    alive = _alive(worker_pid)
    if alive:
        os.kill(worker_pid, signal.SIGKILL)
    assert not alive, "the worker kept running after its supervisor was killed"


def _alive(pid: int) -> bool:
    """Running, and not a zombie waiting for init to reap it."""
    try:
        state = Path(f"/proc/{pid}/stat").read_text().split(")")[-1].split()[0]
    except FileNotFoundError:
        return False
    return state != "Z"


def test_the_demo_emails_are_written_to_files_not_the_console(tmp_path):
    """The server stops by itself here: the worker is stopped on the way out too."""
    fake = tmp_path / "quipu"
    fake.write_text(
        "#!/bin/bash\n"
        'case "$1" in\n'
        '  demo) echo "demo e-mails: $QUIPU_EMAIL_BACKEND" ;;\n'
        "  worker) exec sleep 60 ;;\n"
        "esac\n"
    )
    fake.chmod(0o755)
    env = {k: v for k, v in os.environ.items() if k != "QUIPU_EMAIL_BACKEND"}
    made = ["-o", ".venv/.core", "-o", ".venv/.test", "-o", "setup"]
    result = subprocess.run(
        ["make", *made, "run", f"QUIPU={fake}"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=30,
    )
    assert "demo e-mails: django.core.mail.backends.filebased.EmailBackend" in result.stdout
    assert "E-mails: written to files in" in result.stdout
