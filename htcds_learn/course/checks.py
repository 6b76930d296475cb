"""Exercise checks that a trainee's code cannot fool: answers travel as plain data.

A check cell has one statement that **records the answers**: the values and the results of
calls to the trainee's functions. **The rest is the check**: plain Python that reads
``answer`` and fails with a message written for the trainee::

    answer = record(
        consent=call(core_field_names, "Consent"),
        case=call(core_field_names, "Case"),
    )
    expect(answer["consent"] == ["con_Consent"],
           f"core_field_names('Consent') should be ['con_Consent'], not {answer['consent']}.")
    ### BEGIN HIDDEN TESTS
    expect(answer["case"] == ["cas_CaseOwner", "cas_ReasonForCaseClosure", "cas_Status"],
           "core_field_names('Case') is not right yet.")
    ### END HIDDEN TESTS
    print("Check 2 passed for the Consent section.")

In the trainee's notebook, :func:`record` runs the calls, turns every result into plain JSON
data, and returns a copy rebuilt from that data; the visible checks run on the copy, so the
trainee gets feedback. When nbgrader grades, :func:`record` also puts the data in the cell's
output, and the grader (not the trainee's kernel) runs the whole check again, visible and
hidden parts, on that data (:func:`judge`). The hidden part never reaches the trainee's kernel,
and nothing in the kernel (a redefined ``==``, patched builtins or check helpers, an error
handler that swallows errors) can change what the grader decides: answers are data, and data
cannot lie about anything but itself.

The API, small on purpose:

- ``record(name=value_or_call, ...)``: the answers; a ``call(function, *args)`` is run inside
  ``record``, so an error in one call does not lose the others. ``variable("name")`` reads a
  notebook variable the same way.
- ``expect(condition, message)``: fails the check with ``message`` (a plain ``assert`` works
  too). An answer whose call stopped with an error fails the check when it is read, with the
  error's name and message.
- ``answer.raised("name", "UnknownValueError")``: whether that call stopped with that error.
- ``with part(points):``: a part of the check worth ``points``; if it fails, the trainee
  loses those points and the check goes on (partial credit). A failure outside any part
  scores the check zero.

>>> answer = record(total=call(sum, [1, 2]), broken=call(int, "x"))
>>> answer["total"]
3
>>> answer.raised("broken", "ValueError")
True
>>> expect(answer["total"] == 3, "sum([1, 2]) should be 3.")
"""

from __future__ import annotations

import ast
import base64
import contextlib
import datetime as dt
import io
import json
import math
import os
import signal
import sys
import threading
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass, field
from typing import Any

MIME = "application/vnd.htcds-learn.answers+json"
MAX_DEPTH = 40
MAX_MESSAGE = 500


class CheckFailed(AssertionError):
    """A check did not pass; the message is written for the trainee."""

    def _render_traceback_(self) -> list[str]:  # IPython shows this instead of a traceback
        return [f"\x1b[0;31mCheck not passed\x1b[0m: {self}"]


class AnswerDataError(ValueError):
    """The recorded answers are not data this module wrote (damaged or forged)."""


# --- plain data --------------------------------------------------------------------------


def _short(value: Any, limit: int = 60) -> str:
    try:
        import pandas as pd

        if isinstance(value, pd.DataFrame):
            return f"a table of {value.shape[0]} rows"
        text = repr(value)
    except Exception:  # a trainee's object whose repr fails
        text = f"a {type(value).__name__}"
    return text if len(text) <= limit else f"a {type(value).__name__}"


def _encode_index(index: Any) -> dict:
    import pandas as pd

    name = _encode(index.name if not isinstance(index, pd.MultiIndex) else list(index.names), 1)
    if isinstance(index, pd.RangeIndex):
        return {"range": [index.start, index.stop, index.step], "name": name}
    values = [tuple(v) if isinstance(v, tuple) else v for v in index.tolist()]
    return {"values": _encode(values, 1), "dtype": str(index.dtype), "name": name,
            "multi": isinstance(index, pd.MultiIndex)}


def _encode_frame(frame: Any) -> dict:
    return {"index": _encode_index(frame.index), "columns": _encode_index(frame.columns),
            "dtypes": [str(dtype) for dtype in frame.dtypes],
            "data": [_encode(frame.iloc[:, i].tolist(), 1) for i in range(frame.shape[1])]}


def _encode(value: Any, depth: int = 0) -> Any:  # noqa: C901 - one branch per kind of value
    if depth > MAX_DEPTH:
        raise ValueError("the answer is nested too deeply to be recorded")
    if value is None or type(value) in (bool, int, str):
        return value
    if type(value) is float:
        return value if math.isfinite(value) else {"$float": repr(value)}
    import numpy as np
    import pandas as pd

    if isinstance(value, np.generic):
        return {"$numpy": [value.dtype.str, _encode(value.item(), depth + 1)]}
    for plain in (bool, int, float, str):  # a subclass: record the plain value
        if isinstance(value, plain):
            return _encode(plain(value), depth)
    if value is pd.NaT:
        return {"$nat": True}
    if value is pd.NA:
        return {"$na": True}
    if isinstance(value, pd.Timestamp):
        return {"$timestamp": value.isoformat()}
    if isinstance(value, dt.datetime):
        return {"$datetime": value.isoformat()}
    if isinstance(value, dt.date):
        return {"$date": value.isoformat()}
    if isinstance(value, (bytes, bytearray)):
        return {"$bytes": base64.b64encode(bytes(value)).decode("ascii")}
    if isinstance(value, pd.DataFrame):
        return {"$frame": _encode_frame(value)}
    if isinstance(value, pd.Series):
        return {"$series": {"index": _encode_index(value.index), "dtype": str(value.dtype),
                            "name": _encode(value.name, depth + 1),
                            "data": _encode(value.tolist(), depth + 1)}}
    if isinstance(value, pd.Index):
        return {"$index": _encode_index(value)}
    if isinstance(value, np.ndarray):
        return {"$array": [value.dtype.str, _encode(value.tolist(), depth + 1)]}
    if isinstance(value, list):
        return [_encode(item, depth + 1) for item in value]
    if isinstance(value, tuple):
        return {"$tuple": [_encode(item, depth + 1) for item in value]}
    if isinstance(value, (set, frozenset)):
        items = [_encode(item, depth + 1) for item in value]
        return {"$set": sorted(items, key=lambda item: json.dumps(item, sort_keys=True))}
    if isinstance(value, Mapping):
        return {"$dict": [[_encode(k, depth + 1), _encode(v, depth + 1)]
                          for k, v in value.items()]}
    return {"$object": [f"{type(value).__module__}.{type(value).__qualname__}",
                        _short(value, 200)]}


def encode(value: Any) -> Any:
    """``value`` as JSON-safe data that :func:`decode` turns back into plain Python.

    >>> import pandas as pd
    >>> encode({"a": (1, 2.5)})
    {'$dict': [['a', {'$tuple': [1, 2.5]}]]}
    >>> decode(encode(pd.DataFrame({"x": [1, 2]}))).equals(pd.DataFrame({"x": [1, 2]}))
    True
    """
    return _encode(value)


@dataclass(frozen=True)
class Opaque:
    """A value that has no plain-data form (a function, a trainee's own class): only its
    type and a short description travel, and it equals nothing."""

    type: str
    text: str

    def __repr__(self) -> str:
        return self.text

    def __eq__(self, other: object) -> bool:
        return False

    __hash__ = object.__hash__


def _text(data: Any) -> str:
    if not isinstance(data, str):
        raise AnswerDataError("expected text")
    return data


def _decode_index(data: Any) -> Any:
    import pandas as pd

    if not isinstance(data, dict):
        raise AnswerDataError("an index is not an object")
    name = decode(data.get("name"))
    if "range" in data:
        start, stop, step = (int(v) for v in data["range"])
        return pd.RangeIndex(start, stop, step, name=name)
    values = decode(data.get("values"))
    if not isinstance(values, list):
        raise AnswerDataError("index values are not a list")
    if data.get("multi"):
        return pd.MultiIndex.from_tuples([tuple(v) for v in values], names=name)
    index = pd.Index(values, name=name, dtype=object if not values else None)
    return _with_dtype(index, _text(data.get("dtype", "object")))


def _with_dtype(values: Any, dtype: str) -> Any:
    import pandas as pd

    if str(values.dtype) == dtype:
        return values
    try:
        if dtype.startswith("datetime64"):
            return pd.to_datetime(values).astype(dtype)
        return values.astype(dtype)
    except (TypeError, ValueError):
        return values


def _decode_frame(data: Any) -> Any:
    import pandas as pd

    index, columns = _decode_index(data["index"]), _decode_index(data["columns"])
    dtypes = [_text(d) for d in data["dtypes"]]
    values = [decode(column) for column in data["data"]]
    if not (len(columns) == len(dtypes) == len(values)) or any(
            not isinstance(v, list) or len(v) != len(index) for v in values):
        raise AnswerDataError("a table's parts do not fit together")
    frame = pd.DataFrame({i: pd.Series(v, dtype=object) for i, v in enumerate(values)})
    frame.index = index
    for i, dtype in enumerate(dtypes):
        frame[i] = _with_dtype(frame[i], dtype)
    frame.columns = columns
    return frame


def _decode_tagged(tag: str, data: Any) -> Any:  # noqa: C901 - one branch per tag
    import numpy as np
    import pandas as pd

    if tag == "$float":
        return float(_text(data))
    if tag == "$numpy":
        dtype = np.dtype(_text(data[0]))
        if dtype.kind not in "biufcmM":
            raise AnswerDataError(f"not a numpy number: {dtype}")
        return dtype.type(decode(data[1]))
    if tag == "$nat":
        return pd.NaT
    if tag == "$na":
        return pd.NA
    if tag == "$timestamp":
        return pd.Timestamp(_text(data))
    if tag == "$datetime":
        return dt.datetime.fromisoformat(_text(data))
    if tag == "$date":
        return dt.date.fromisoformat(_text(data))
    if tag == "$bytes":
        return base64.b64decode(_text(data))
    if tag == "$frame":
        return _decode_frame(data)
    if tag == "$series":
        values = decode(data["data"])
        series = pd.Series(values, index=_decode_index(data["index"]), dtype=object,
                           name=decode(data["name"]))
        return _with_dtype(series, _text(data["dtype"]))
    if tag == "$index":
        return _decode_index(data)
    if tag == "$array":
        dtype = np.dtype(_text(data[0]))
        if dtype.kind not in "biufcmMUSO":
            raise AnswerDataError(f"not an array of plain values: {dtype}")
        return np.array(decode(data[1]), dtype=dtype)
    if tag == "$tuple":
        return tuple(decode(item) for item in data)
    if tag == "$set":
        return {decode(item) for item in data}
    if tag == "$dict":
        return {decode(key): decode(value) for key, value in data}
    if tag == "$object":
        return Opaque(_text(data[0]), _text(data[1]))
    raise AnswerDataError(f"unknown kind of value {tag!r}")


def decode(data: Any) -> Any:
    """Plain Python from :func:`encode`'s data; anything else raises AnswerDataError."""
    if data is None or type(data) in (bool, int, float, str):
        return data
    if isinstance(data, list):
        return [decode(item) for item in data]
    if isinstance(data, dict) and len(data) == 1:
        ((tag, inner),) = data.items()
        try:
            return _decode_tagged(tag, inner)
        except AnswerDataError:
            raise
        except Exception as error:  # malformed inner data of any kind
            raise AnswerDataError(f"{tag} could not be read ({error})") from None
    raise AnswerDataError("not recorded answer data")


# --- recording answers -------------------------------------------------------------------


@dataclass(frozen=True)
class Raised:
    """An error a trainee's call stopped with: its name, the names of its parent classes,
    and its message."""

    name: str
    kinds: tuple[str, ...]
    message: str

    def __str__(self) -> str:
        return f"{self.name}: {self.message}" if self.message else self.name


class Call:
    """A call to run inside :func:`record` (see :func:`call`)."""

    def __init__(self, function: Callable[..., Any], args: tuple, kwargs: dict) -> None:
        self.function, self.args, self.kwargs = function, args, kwargs

    def describe(self) -> str:
        name = getattr(self.function, "__name__", "your function")
        if name == "<lambda>":
            return "your code"
        shown = [_short(a) for a in self.args] + [f"{k}={_short(v)}"
                                                  for k, v in self.kwargs.items()]
        return f"{name}({', '.join(shown)})"

    def run(self, namespace: Mapping[str, Any]) -> Any:
        return self.function(*self.args, **self.kwargs)


_MISSING = object()


class Variable(Call):
    """A notebook variable to read inside :func:`record` (see :func:`variable`)."""

    def __init__(self, name: str, default: Any = _MISSING) -> None:
        super().__init__(lambda: None, (), {})
        self.name, self.default = name, default

    def describe(self) -> str:
        return self.name

    def run(self, namespace: Mapping[str, Any]) -> Any:
        if self.name in namespace:
            return namespace[self.name]
        if self.default is not _MISSING:
            return self.default
        raise NameError(f"{self.name} is not defined yet: write your answer and run its "
                        "cell first.")


def call(function: Callable[..., Any], *args: Any, **kwargs: Any) -> Call:
    """``function(*args, **kwargs)``, run by :func:`record` (an error is recorded, not
    raised)."""
    return Call(function, args, kwargs)


def variable(name: str, default: Any = _MISSING) -> Variable:
    """The notebook variable ``name``, read by :func:`record`. When it is missing, the
    answer is ``default`` if one is given, else the error is recorded (not raised).

    >>> answers = record(letter=variable("not_written_yet", default=""))
    >>> answers["letter"]
    ''
    >>> record(letter=variable("not_written_yet")).raised("letter", "NameError")
    True
    """
    return Variable(name, default)


def _raised(error: BaseException) -> dict:
    kinds = tuple(k.__name__ for k in type(error).__mro__ if k not in (object, BaseException))
    return {"raised": [type(error).__name__, list(kinds), str(error)[:MAX_MESSAGE]]}


class Answers(Mapping):
    """The recorded answers, rebuilt from plain data. Reading an answer whose call stopped
    with an error fails the check with that error."""

    def __init__(self, entries: Mapping[str, tuple[str, Any, Raised | None]]) -> None:
        self._entries = dict(entries)

    def __getitem__(self, name: str) -> Any:
        if name not in self._entries:
            raise CheckFailed(f"No answer called {name!r} was recorded.")
        description, value, raised = self._entries[name]
        if raised is not None and raised.name == "NameError" and "(" not in description:
            raise CheckFailed(raised.message)  # a variable that is not there yet
        if raised is not None:
            raise CheckFailed(f"{description} stopped with an error: {raised}")
        return value

    def __contains__(self, name: object) -> bool:
        return name in self._entries

    def __iter__(self) -> Iterator[str]:
        return iter(self._entries)

    def __len__(self) -> int:
        return len(self._entries)

    def error(self, name: str) -> Raised | None:
        """The error ``name``'s call stopped with, or None if it returned."""
        return self._entries[name][2] if name in self._entries else None

    def raised(self, name: str, kind: str | None = None) -> bool:
        """Whether ``name``'s call stopped with an error (of class ``kind``, or a subclass)."""
        error = self.error(name)
        return error is not None and (kind is None or kind in error.kinds)

    def describe(self, name: str) -> str:
        """How the answer was obtained, for messages: ``core_field_names('Case')``."""
        return self._entries[name][0] if name in self._entries else name

    @classmethod
    def from_data(cls, data: Any) -> Answers:
        """Answers from the plain data :func:`record` wrote (strictly checked)."""
        if not isinstance(data, dict) or data.get("version") != 1 or not isinstance(
                data.get("answers"), list):
            raise AnswerDataError("not recorded answers")
        entries: dict[str, tuple[str, Any, Raised | None]] = {}
        for item in data["answers"]:
            if not (isinstance(item, list) and len(item) == 3 and isinstance(item[0], str)
                    and isinstance(item[1], str) and isinstance(item[2], dict)):
                raise AnswerDataError("an answer is not [name, description, result]")
            name, description, result = item
            if "raised" in result:
                error = result["raised"]
                entries[name] = (description, None, Raised(
                    _text(error[0]), tuple(_text(k) for k in error[1]), _text(error[2])))
            elif "value" in result:
                entries[name] = (description, decode(result["value"]), None)
            else:
                raise AnswerDataError("an answer has neither a value nor an error")
        return cls(entries)


def being_graded() -> bool:
    """True while nbgrader's autograde runs this notebook (it sets NBGRADER_EXECUTION)."""
    return os.environ.get("NBGRADER_EXECUTION") == "autograde"


def record(**answers: Any) -> Answers:
    """Record the answers as plain data; return them rebuilt from that data (see the module
    docs). While grading, the data also goes into the cell's output for the grader."""
    caller = sys._getframe(1).f_globals
    items = []
    for name, value in answers.items():
        if isinstance(value, Call):
            description = value.describe()
            try:
                value = value.run(caller)
            except Exception as error:  # the trainee's code failed: that is the answer
                items.append([name, description, _raised(error)])
                continue
        else:
            description = name
        try:
            items.append([name, description, {"value": _encode(value)}])
        except (ValueError, RecursionError) as error:
            items.append([name, description, _raised(error)])
    data = json.loads(json.dumps({"version": 1, "answers": items}, allow_nan=False))
    if being_graded():
        from IPython.display import publish_display_data

        publish_display_data({MIME: data})
    _STATE.start(None)
    return Answers.from_data(data)


# --- judging -----------------------------------------------------------------------------


@dataclass
class _CheckState:
    points: float | None = None  # None: in the trainee's notebook (print, do not count)
    lost: list[tuple[float, str]] = field(default_factory=list)

    def start(self, points: float | None) -> None:
        self.points, self.lost = points, []


_STATE = _CheckState()


def expect(condition: Any, message: str) -> None:
    """Fail the check with ``message`` (words for the trainee) unless ``condition`` holds."""
    if not condition:
        raise CheckFailed(message)


def _message(error: BaseException) -> str:
    if isinstance(error, AssertionError):
        text = str(error).strip()
        return text[:MAX_MESSAGE] if text else "A check did not pass."
    return f"{type(error).__name__}: {str(error)[:MAX_MESSAGE]}".rstrip(": ")


@contextlib.contextmanager
def part(points: float) -> Iterator[None]:
    """A part of the check worth ``points``: if anything in it fails, those points are lost
    and the rest of the check still runs."""
    try:
        yield
    except Exception as error:
        _STATE.lost.append((float(points), _message(error)))
        if _STATE.points is None:
            print(f"Not yet ({points:g} point{'s' if points != 1 else ''}): "
                  f"{_message(error)}")


@dataclass
class Verdict:
    """What the grader decided about one check cell."""

    score: float
    max_score: float
    status: str  # passed, partial, failed, not-run
    messages: list[str] = field(default_factory=list)
    printed: str = ""

    def to_dict(self) -> dict:
        return {"score": self.score, "max_score": self.max_score, "status": self.status,
                "messages": self.messages, "printed": self.printed}


def _is_record(statement: ast.stmt) -> bool:
    if not (isinstance(statement, ast.Assign) and len(statement.targets) == 1
            and isinstance(statement.targets[0], ast.Name)
            and isinstance(statement.value, ast.Call)):
        return False
    function = statement.value.func
    name = function.id if isinstance(function, ast.Name) else getattr(function, "attr", "")
    return name == "record"


def split_check(source: str) -> tuple[str, str] | None:
    """(the name the answers are bound to, the cell as the grader runs it), or None when
    the cell has no ``name = record(...)`` statement (a plain nbgrader test cell).

    The grader runs every line except the recording statement, which becomes blank lines
    (so line numbers stay those of the cell); the name is bound to the recorded answers.
    Code before the recording statement therefore runs in both places: it may build test
    data, but must not use the trainee's names.

    >>> split_check('data = [1]\\nanswer = record(x=call(len, data))\\nexpect(answer["x"])')
    ('answer', 'data = [1]\\n\\nexpect(answer["x"])')
    """
    try:
        tree = ast.parse(source)
    except SyntaxError:
        return None
    found = next((statement for statement in tree.body if _is_record(statement)), None)
    if found is None:
        return None
    assert isinstance(found, ast.Assign) and found.end_lineno is not None  # _is_record says so
    lines = source.split("\n")
    for number in range(found.lineno - 1, found.end_lineno):
        lines[number] = ""
    target = found.targets[0]
    assert isinstance(target, ast.Name)  # _is_record says so
    return target.id, "\n".join(lines)


@contextlib.contextmanager
def _time_limit(seconds: float | None) -> Iterator[None]:
    usable = (seconds and hasattr(signal, "SIGALRM")
              and threading.current_thread() is threading.main_thread())
    if not usable or seconds is None:
        yield
        return

    def stop(signum, frame):
        raise TimeoutError(f"the grader stopped this check after {seconds:g} seconds")

    previous = signal.signal(signal.SIGALRM, stop)
    signal.setitimer(signal.ITIMER_REAL, seconds)
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)


def prepare(setup_sources: list[str]) -> tuple[dict[str, Any], list[str]]:
    """The namespace checks run in: the notebook's locked setup cells, run by the grader.
    Returns it and a sentence for each setup cell that failed (an instructor's problem)."""
    namespace: dict[str, Any] = {"__name__": "__htcds_check__"}
    problems = []
    for index, source in enumerate(setup_sources, start=1):
        try:
            with contextlib.redirect_stdout(io.StringIO()), \
                    contextlib.redirect_stderr(io.StringIO()):
                exec(compile(source, f"<setup {index}>", "exec"), namespace)
        except Exception as error:
            problems.append(f"the grader could not run setup cell {index} "
                            f"({type(error).__name__}: {error})")
    return namespace, problems


API = {"record": record, "call": call, "variable": variable, "expect": expect, "part": part,
       "CheckFailed": CheckFailed}


def judge(source: str, data: Any, namespace: dict[str, Any], points: float, *,
          not_run: str = "", timeout: float | None = 60) -> Verdict:
    """Run the check cell ``source`` (hidden part included) on the recorded answers ``data``
    (None if the cell recorded nothing), in ``namespace`` (names the check defines stay there
    for the checks after it, as in the notebook).

    ``not_run`` says why no answers came (for the message). This is the trusted step: it
    runs in the grading process, never in the trainee's kernel.

    >>> data = {"version": 1, "answers": [["x", "x", {"value": 2}]]}
    >>> judge("answer = record(x=x)\\nwith part(1):\\n    expect(answer['x'] == 1, 'x is 1')",
    ...       data, {}, 3).score
    2.0
    """
    split = split_check(source)
    if split is None:
        raise ValueError("this check cell has no 'answer = record(...)' statement")
    name, body = split
    if data is None:
        return Verdict(0.0, points, "not-run", [
            "This check could not read your answers: "
            + (not_run or "the cell did not run") + "."])
    try:
        answers = Answers.from_data(data)
    except AnswerDataError as error:
        return Verdict(0.0, points, "not-run", [f"Your answers could not be read ({error})."])
    scope = namespace  # shared by the notebook's checks, in order, as in the kernel
    for api_name, value in API.items():
        scope.setdefault(api_name, value)
    scope[name] = answers
    printed = io.StringIO()
    failure = ""
    _STATE.start(points)
    try:
        with contextlib.redirect_stdout(printed), _time_limit(timeout):
            exec(compile(body, "<check>", "exec", dont_inherit=True, optimize=0), scope)
    except Exception as error:  # the check failed (or the check's own code broke)
        failure = _message(error)
    lost = list(_STATE.lost)
    _STATE.start(None)
    messages = [f"{text} ({value:g} point{'s' if value != 1 else ''})" for value, text in lost]
    if failure:
        score = 0.0
        messages.append(failure)
    else:
        score = max(0.0, round(points - sum(value for value, _ in lost), 4))
    status = "passed" if score >= points else "partial" if score > 0 else "failed"
    return Verdict(score, points, status, messages, printed.getvalue()[-5000:])
