"""Run a trainee's notebook kernel apart from the grader: the kernel is untrusted code.

nbgrader runs each submission in a Jupyter kernel. Here that kernel starts inside a sandbox
built from what Linux and Debian give:

- **files**: ``bwrap`` (bubblewrap) shows the kernel a private file system: the system and
  the Python environment read-only, and one scratch folder with a copy of the assignment's
  data files. The course (``source/``, the gradebook, other trainees' work) is not there.
- **network**: a new network namespace with no interfaces; the grader talks to the kernel
  over Unix sockets in a private folder.
- **user**: when grading runs as root, the kernel runs as a dedicated unprivileged user id.
- **processes**: a private process space; when the kernel stops, everything it started stops.
- **limits**: CPU time, memory, number of processes and file size (``prlimit``).

Where the machine cannot give a protection (not Linux, no bubblewrap, no user namespaces, not
root), the kernel still runs in a scratch folder, with a clean environment (no secrets from
the grader's), the limits the OS offers, and its process group ended at the end;
:func:`machine` says in one sentence what is missing.

``HTCDS_LEARN_SANDBOX=basic`` forces the reduced sandbox (to compare, or when bubblewrap
misbehaves on a machine).

>>> plan = Plan(bwrap="/usr/bin/bwrap", user=True, limits=True, network=True)
>>> plan.missing()
[]
>>> Plan(bwrap=None, user=False, limits=True, network=False).missing_sentence()[:51]
'Grading runs without these protections for trainees'
"""

from __future__ import annotations

import contextlib
import json
import os
import shutil
import signal
import subprocess
import sys
import tempfile
import time
from dataclasses import asdict, dataclass
from pathlib import Path

from jupyter_client.manager import AsyncKernelManager

PLAN_VARIABLE = "HTCDS_LEARN_SANDBOX_PLAN"  # a probed plan, handed to worker processes
MODE_VARIABLE = "HTCDS_LEARN_SANDBOX"  # "basic" forces the reduced sandbox
UID_BASE = 2_100_000_000  # far above login accounts and subordinate-id ranges
UID_SPAN = 1_000_000

PROTECTIONS = {
    "files": "a private file system (the course, the gradebook and other trainees' work "
             "hidden)",
    "network": "no network",
    "user": "a separate unprivileged user",
    "processes": "a private process space that ends as a whole",
}
REMEDY = {
    "files": "install bubblewrap",
    "network": "install bubblewrap",
    "user": "grade as root",
    "processes": "install bubblewrap",
}


@dataclass(frozen=True)
class Limits:
    """What one kernel may use. Memory is address space, so it is generous."""

    cpu_seconds: int = 900
    memory_bytes: int = 4 * 2**30
    processes: int = 256
    file_bytes: int = 256 * 2**20
    open_files: int = 1024
    tmp_bytes: int = 256 * 2**20


@dataclass(frozen=True)
class Plan:
    """Which protections this machine gives (see :func:`machine`)."""

    bwrap: str | None  # path to bubblewrap, when it works here
    user: bool  # the kernel runs as a dedicated unprivileged uid (needs root)
    limits: bool  # prlimit is available (Linux)
    network: bool  # no network (bubblewrap, or unshare as root)

    def protections(self) -> dict[str, bool]:
        return {"files": self.bwrap is not None, "network": self.network,
                "user": self.user, "processes": self.bwrap is not None}

    def missing(self) -> list[str]:
        return [name for name, given in self.protections().items() if not given]

    def missing_sentence(self) -> str:
        """One sentence for the instructor; empty when every protection is given."""
        missing = self.missing()
        if not missing:
            return ""
        remedies = sorted({REMEDY[name] for name in missing})
        if not sys.platform.startswith("linux"):
            remedies = ["grade on Linux with bubblewrap, as root"]
        return ("Grading runs without these protections for trainees' code: "
                + "; ".join(PROTECTIONS[name] for name in missing)
                + f" (to get them: {' and '.join(remedies)}). Each notebook still runs in a "
                "scratch folder, with a clean environment"
                + (", CPU, memory and file limits" if self.limits else "")
                + " and its processes ended at the end.")

    def to_json(self) -> str:
        return json.dumps(asdict(self))


def _uid_is_free(uid: int) -> bool:
    import pwd  # POSIX only

    try:
        pwd.getpwuid(uid)
    except KeyError:
        return True
    return False


def sandbox_uid(pid: int | None = None) -> int:
    """A dedicated user id for the kernels of grading process ``pid`` (this one by default):
    one per worker process, so one trainee's processes never count against another's limit,
    and everything a kernel left behind can be found by its user."""
    uid = UID_BASE + (os.getpid() if pid is None else pid) % UID_SPAN
    while not _uid_is_free(uid):
        uid += 1
    return uid


def end_sandbox_user(pid: int) -> None:
    """End every process left by the kernels of grading process ``pid`` (when this machine
    runs kernels as a dedicated user: root on Linux)."""
    plan = machine()
    if plan.user and sys.platform.startswith("linux"):
        _kill_user(sandbox_uid(pid))


def _python_paths() -> list[Path]:
    """Folders the kernel's Python needs, read-only: the interpreter, its standard library,
    the environment's packages and this package (an editable install lives elsewhere)."""
    package = Path(__file__).resolve().parents[1]  # htcds_learn/
    roots = {Path(sys.base_prefix), Path(sys.prefix), Path(sys.exec_prefix),
             Path(os.path.realpath(sys.executable)).parent, package}
    for entry in sys.path:  # packages outside the prefixes (site-packages only, never cwd)
        path = Path(entry).resolve() if entry else None
        if path and path.is_dir() and path.name in ("site-packages", "dist-packages"):
            roots.add(path)
    roots = {root.resolve() for root in roots if root.exists()}
    return sorted(root for root in roots
                  if not any(other != root and other in root.parents for other in roots))


SYSTEM_PATHS = ("/usr", "/bin", "/sbin", "/lib", "/lib32", "/lib64", "/libx32", "/etc")


def _bwrap_args(plan: Plan, work: Path, run: Path, hide: list[Path],
                limits: Limits) -> list[str]:
    args = [plan.bwrap or "bwrap", "--die-with-parent", "--new-session",
            "--unshare-ipc", "--unshare-pid", "--unshare-net", "--unshare-uts",
            "--unshare-cgroup-try", "--hostname", "sandbox"]
    if os.geteuid() == 0:  # mounts as root, then drop to the sandbox user (setpriv below)
        args += ["--cap-drop", "ALL", "--cap-add", "CAP_SETUID", "--cap-add", "CAP_SETGID"]
    else:  # an unprivileged user namespace does the same for a normal account
        args += ["--unshare-user", "--disable-userns"]
    args += ["--perms", "0755", "--tmpfs", "/"]
    made: set[Path] = {Path("/")}

    def parents(path: Path) -> list[str]:
        out = []
        for parent in reversed(path.parents):
            if parent not in made:
                made.add(parent)
                out += ["--perms", "0755", "--dir", str(parent)]
        return out

    for name in SYSTEM_PATHS:
        path = Path(name)
        if path.is_symlink():
            args += ["--symlink", os.readlink(path), name]
        elif path.is_dir():
            args += ["--ro-bind", name, name]
    for path in _python_paths():
        if not any(str(path).startswith(name + "/") for name in SYSTEM_PATHS):
            args += parents(path) + ["--ro-bind", str(path), str(path)]
            made.add(path)
    args += ["--proc", "/proc", "--dev", "/dev",
             "--size", str(limits.tmp_bytes), "--perms", "1777", "--tmpfs", "/tmp"]
    made.add(Path("/tmp"))
    for path in (run, work):
        args += parents(path) + ["--bind", str(path), str(path)]
    for path in hide:  # a course that happens to lie inside a bound folder
        if any(bound in path.parents for bound in _python_paths()):
            args += ["--tmpfs", str(path)]
    # The kernel's parent is the sandbox's own init, not the grader: no parent polling (the
    # whole sandbox ends with the grader anyway, --die-with-parent).
    return args + ["--chdir", str(work), "--unsetenv", "JPY_PARENT_PID"]


def _limit_args(limits: Limits, processes: bool) -> list[str]:
    args = ["prlimit", f"--cpu={limits.cpu_seconds}", f"--as={limits.memory_bytes}",
            f"--fsize={limits.file_bytes}", f"--nofile={limits.open_files}"]
    if processes:
        args.append(f"--nproc={limits.processes}")
    return args + ["--"]


def _setpriv_args(uid: int) -> list[str]:
    return [shutil.which("setpriv") or "/usr/bin/setpriv", f"--reuid={uid}", f"--regid={uid}",
            "--clear-groups", "--inh-caps=-all", "--bounding-set=-all", "--no-new-privs", "--"]


def wrap(plan: Plan, argv: list[str], *, work: Path, run: Path, uid: int,
         hide: list[Path] | None = None, limits: Limits | None = None) -> list[str]:
    """The command that runs ``argv`` in the sandbox ``plan`` describes.

    ``work`` is the kernel's scratch folder (its working directory) and ``run`` the private
    folder of its connection file and sockets; both are readable and writable inside.
    """
    limits = limits or Limits()
    command = list(argv)
    if plan.user:
        command = _setpriv_args(uid) + command
    if plan.bwrap:
        command = _bwrap_args(plan, work, run, list(hide or []), limits) + command
    elif plan.network:
        command = ["unshare", "--net", "--"] + command
    if plan.limits:
        # The process limit counts every process of a user: only meaningful for our own uid.
        command = _limit_args(limits, processes=plan.user) + command
    return command


def clean_environment(work: Path, plan: Plan, windows: bool = os.name == "nt"
                      ) -> dict[str, str]:
    """The kernel's environment: nothing of the grader's (tokens, paths to the course)."""
    env = {"HOME": str(work), "USER": "trainee", "LOGNAME": "trainee", "LANG": "C.UTF-8",
           "LC_ALL": "C.UTF-8", "PYTHONNOUSERSITE": "1", "MPLBACKEND": "Agg",
           "IPYTHONDIR": str(work / ".ipython"), "MPLCONFIGDIR": str(work / ".matplotlib"),
           "JUPYTER_CONFIG_DIR": str(work / ".jupyter"),
           "JUPYTER_DATA_DIR": str(work / ".local"), "JUPYTER_PLATFORM_DIRS": "1",
           "JUPYTER_RUNTIME_DIR": str(work / ".runtime"),
           "PYDEVD_DISABLE_FILE_VALIDATION": "1",
           "PATH": os.pathsep.join([str(Path(sys.executable).parent), "/usr/bin", "/bin"]),
           "TMPDIR": str(work / ".tmp")}
    for name in ("NBGRADER_EXECUTION",):  # tells the exercises' checks they are being graded
        if name in os.environ:
            env[name] = os.environ[name]
    if windows:  # Windows needs a few of its own to start Python at all
        for name in ("SYSTEMROOT", "WINDIR", "COMSPEC", "PATHEXT", "NUMBER_OF_PROCESSORS",
                     "PROCESSOR_ARCHITECTURE"):
            if name in os.environ:
                env[name] = os.environ[name]
        env["PATH"] = os.pathsep.join([str(Path(sys.executable).parent),
                                       os.environ.get("SYSTEMROOT", "C:\\Windows")])
        env.update(USERPROFILE=str(work), APPDATA=str(work), LOCALAPPDATA=str(work),
                   TEMP=str(work / ".tmp"), TMP=str(work / ".tmp"))
    if plan.bwrap:
        env["TMPDIR"] = "/tmp"  # the sandbox's own, private /tmp
    return env


SOCKET_PATH_LIMIT = 100  # a Unix socket's path must stay under 108 bytes


def _scratch(uid: int | None) -> tuple[Path, Path, Path]:
    """(base, work, run): the kernel's scratch folder and the private folder of its
    connection file and sockets (somewhere short when the temporary folder's path is long)."""
    base = Path(tempfile.mkdtemp(prefix="k-"))
    work, run = base / "work", base / "r"
    if len(str(run / "k-00")) > SOCKET_PATH_LIMIT and Path("/tmp").is_dir():
        run = Path(tempfile.mkdtemp(prefix="k-", dir="/tmp"))
        (base / "run-folder").write_text(str(run))
    else:
        run.mkdir()
    for folder in (work, run, work / ".tmp"):
        folder.mkdir(exist_ok=True)
        folder.chmod(0o755)  # bwrap enters them without root's override; base stays 0700
        if uid is not None:
            os.chown(folder, uid, uid)
    return base, work, run


def _remove_scratch(base: Path) -> None:
    elsewhere = base / "run-folder"
    if elsewhere.exists():
        shutil.rmtree(elsewhere.read_text(), ignore_errors=True)
    shutil.rmtree(base, ignore_errors=True)


def _probe(plan: Plan) -> str:
    """Start Python the way a kernel starts; '' when it works, else why not."""
    uid = sandbox_uid() if plan.user else None
    base, work, run = _scratch(uid)
    try:
        command = wrap(plan, [sys.executable, "-c", "import ipykernel, htcds_learn"],
                       work=work, run=run, uid=uid or 0)
        result = subprocess.run(command, cwd=work, env=clean_environment(work, plan),
                                capture_output=True, text=True, timeout=120,
                                stdin=subprocess.DEVNULL)
        return "" if result.returncode == 0 else (result.stderr.strip().splitlines()
                                                  or ["exit code"])[-1]
    except (OSError, subprocess.SubprocessError) as error:
        return str(error)
    finally:
        _remove_scratch(base)


_PLAN: Plan | None = None


def machine() -> Plan:
    """The strongest sandbox that works on this machine (probed once per process, or taken
    from the grading process that started this one)."""
    global _PLAN
    if _PLAN is not None:
        return _PLAN
    handed = os.environ.get(PLAN_VARIABLE)
    if handed:
        _PLAN = Plan(**json.loads(handed))
        return _PLAN
    _PLAN = _choose()
    return _PLAN


def _choose() -> Plan:
    linux = sys.platform.startswith("linux")
    limits = linux and shutil.which("prlimit") is not None
    if not linux:
        return Plan(bwrap=None, user=False, limits=False, network=False)
    root = os.geteuid() == 0
    user = root and shutil.which("setpriv") is not None
    candidates = []
    bwrap = shutil.which("bwrap")
    if bwrap and os.environ.get(MODE_VARIABLE, "") != "basic":
        candidates.append(Plan(bwrap=bwrap, user=user, limits=limits, network=True))
    network = root and shutil.which("unshare") is not None
    candidates += [Plan(bwrap=None, user=user, limits=limits, network=network),
                   Plan(bwrap=None, user=False, limits=limits, network=network),
                   Plan(bwrap=None, user=False, limits=limits, network=False),
                   Plan(bwrap=None, user=False, limits=False, network=False)]
    for plan in dict.fromkeys(candidates):
        if not _probe(plan):
            return plan
    return candidates[-1]


def describe() -> str:
    """What protects the grader from trainees' code here, in one or two sentences."""
    plan = machine()
    given = [PROTECTIONS[name] for name, ok in plan.protections().items() if ok]
    if not plan.missing():
        return ("Trainees' code runs in a sandbox: " + "; ".join(given)
                + "; limits on CPU time, memory, processes and file size.")
    return plan.missing_sentence()


def _kill_user(uid: int) -> None:
    """End every process of ``uid`` (our dedicated sandbox user, so nothing else)."""
    for _ in range(3):
        found = False
        for entry in Path("/proc").iterdir():
            if not entry.name.isdigit():
                continue
            try:
                if entry.stat().st_uid == uid:
                    os.kill(int(entry.name), signal.SIGKILL)
                    found = True
            except (OSError, ProcessLookupError):
                continue
        if not found:
            return
        time.sleep(0.05)


class SandboxedKernelManager(AsyncKernelManager):
    """A kernel manager whose kernels start inside the sandbox :func:`machine` chose.

    nbgrader's execution step uses it through ``Execute.kernel_manager_class`` (see
    :mod:`.nbgrader_steps`), so serial ``nbgrader autograde`` and ``course grade`` both
    sandbox every submission. The kernel's working directory is a fresh scratch folder with
    a copy of the assignment's data files (never the notebooks or the course).
    """

    _scratch_base: Path | None = None
    _sandbox_uid: int | None = None

    async def _async_pre_start_kernel(self, **kw):
        plan = machine()
        self._sandbox_uid = sandbox_uid() if plan.user else None
        self._scratch_base, work, run = _scratch(self._sandbox_uid)
        wanted = Path(kw.get("cwd") or os.getcwd())
        self._course_folder = _course_root(wanted)
        if self._course_folder is not None:  # an nbgrader course: its data files come along
            _copy_data_files(wanted, self._course_folder, work, self._sandbox_uid)
            _copy_trainee_files(wanted, work, self._sandbox_uid)
        self._work, self._run = work, run
        if plan.bwrap or plan.network:  # no shared network: talk over Unix sockets
            self.transport = "ipc"
            self.ip = str(run / "k")
        self.connection_file = str(run / "kernel.json")
        kw["cwd"] = str(work)
        kw["env"] = clean_environment(work, plan)
        return await super()._async_pre_start_kernel(**kw)

    async def _async_launch_kernel(self, kernel_cmd, **kw):
        plan = machine()
        if self._sandbox_uid is not None:
            os.chown(self.connection_file, self._sandbox_uid, self._sandbox_uid)
        command = wrap(plan, kernel_cmd, work=self._work, run=self._run,
                       uid=self._sandbox_uid or 0,
                       hide=[self._course_folder] if self._course_folder else [])
        # Never the grader's terminal: a kernel could type into it (TIOCSTI) or flood it.
        self._log = open(self._scratch_base / "kernel.log", "wb")  # noqa: SIM115 - closed at the end
        kw.update(stdin=subprocess.DEVNULL, stdout=self._log, stderr=subprocess.STDOUT)
        return await super()._async_launch_kernel(command, **kw)

    async def _async_interrupt_kernel(self):
        """Interrupt by message: the kernel sits in its own session and process space, so a
        signal to the launcher's process group would not reach it."""
        if self.has_kernel:
            message = self.session.msg("interrupt_request", content={})
            self._connect_control_socket()
            self.session.send(self._control_socket, message)
            return
        await super()._async_interrupt_kernel()

    interrupt_kernel = _async_interrupt_kernel  # the public name points at the base otherwise

    async def _async_cleanup_resources(self, restart: bool = False):
        try:
            await super()._async_cleanup_resources(restart=restart)
        finally:
            if not restart:
                self.end_everything()

    def end_everything(self) -> None:
        """Stop every process the kernel started and remove its scratch folder."""
        log = getattr(self, "_log", None)
        if log is not None:
            log.close()
        if self._sandbox_uid is not None and sys.platform.startswith("linux"):
            _kill_user(self._sandbox_uid)
        provisioner = self.provisioner
        pgid = getattr(provisioner, "pgid", None)
        if pgid and hasattr(os, "killpg"):
            with contextlib.suppress(OSError):
                os.killpg(pgid, signal.SIGKILL)
        if self._scratch_base is not None:
            _remove_scratch(self._scratch_base)
            self._scratch_base = None


def _course_root(folder: Path) -> Path | None:
    """The nbgrader course around ``folder`` (where nbgrader_config.py is), if any."""
    for candidate in [folder, *folder.parents]:
        if (candidate / "nbgrader_config.py").is_file():
            return candidate
    return None


DATA_FILE_LIMIT = 200 * 2**20


def _copy_trainee_files(folder: Path, work: Path, uid: int | None) -> None:
    """Copy the files a trainee hands in with the notebook (a workbook fixed in a spreadsheet
    program: the exercise's ``trainee_files`` in the course manifest) from the submission
    into the scratch folder, over the source's copy. Only those names, only regular files
    (never links), each within the data-file limit."""
    from ..learn.lessons import EXERCISES

    names = next((e.trainee_files for e in EXERCISES if e.name == folder.name), ())
    for name in names:
        path = folder / name
        if (path.is_symlink() or not path.is_file()
                or path.stat().st_size > DATA_FILE_LIMIT):
            continue
        target = work / name
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(path, target)
        if uid is not None:
            os.chown(target, uid, uid)


def _copy_data_files(folder: Path, course: Path, work: Path, uid: int | None) -> None:
    """Copy the assignment's own data files into the kernel's scratch folder: those in the
    course's ``source/<assignment>/`` (never notebooks, links, or a trainee's extra files,
    which nbgrader copies beside the notebook and could point anywhere)."""
    source = course / "source" / folder.name
    if not source.is_dir():
        return
    total = 0
    for path in sorted(source.rglob("*")):
        relative = path.relative_to(source)
        if (path.is_symlink() or not path.is_file() or path.suffix == ".ipynb"
                or any(part.startswith(".") for part in relative.parts)):
            continue
        total += path.stat().st_size
        if total > DATA_FILE_LIMIT:
            break
        target = work / relative
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(path, target)
        if uid is not None:
            for made in [relative, *relative.parents]:
                os.chown(work / made, uid, uid)
