"""The course file format, without Django: one format for the starter content, export and import.

On disk (and inside an exported zip) a course is a folder::

    manifest.json                 {"format", "slug", "audience", "pass_mark", "max_attempts",
                                   "languages": {"en": {"title", "summary", "lessons": [file…]}}}
    <lang>/01-….md                one lesson; its first "# " line is its title
    <lang>/quiz.json              [{"id", "type", "prompt", "options": [{"id", "text", "correct",
                                    "feedback"}], "explanation"}]

As JSON (export, import, and what a course version stores) the files are inlined: each language
holds ``lessons: [{"title", "body"}]`` and ``questions: [...]``.
"""

from __future__ import annotations

import io
import json
import re
import zipfile
from pathlib import Path
from typing import Any

from safeguard.learning.scoring import QUESTION_KINDS

FORMAT = "safeguard-course/1"
AUDIENCES = ("educators", "parents", "young_people", "frontline")
MAX_PACKAGE_BYTES = 2_000_000
SLUG = re.compile(r"^[a-z0-9][a-z0-9-]{1,79}$")


class PackageError(ValueError):
    """A course file that cannot be read, with a message that says what to fix."""


def _lesson_from_markdown(text: str, name: str) -> dict[str, str]:
    lines = text.strip().splitlines()
    if not lines or not lines[0].startswith("# "):
        raise PackageError(f"{name}: a lesson starts with its title on a '# ' line")
    return {"title": lines[0][2:].strip(), "body": "\n".join(lines[1:]).strip() + "\n"}


def _inline(manifest: dict[str, Any], read: Any) -> dict[str, Any]:
    languages: dict[str, Any] = {}
    for code, language in dict(manifest.get("languages") or {}).items():
        lessons = [
            _lesson_from_markdown(read(f"{code}/{name}"), f"{code}/{name}") for name in language["lessons"]
        ]
        try:
            questions = json.loads(read(f"{code}/{language.get('quiz', 'quiz.json')}"))
        except json.JSONDecodeError as error:
            raise PackageError(f"{code}/quiz.json is not valid JSON: {error}") from error
        languages[code] = {
            "title": language.get("title", ""),
            "summary": language.get("summary", ""),
            "lessons": lessons,
            "questions": questions,
        }
    return validate({**manifest, "languages": languages})


def read_directory(folder: Path) -> dict[str, Any]:
    """A course package from a folder (the starter content)."""
    manifest = json.loads((folder / "manifest.json").read_text(encoding="utf-8"))
    return _inline(manifest, lambda name: (folder / name).read_text(encoding="utf-8"))


def read_zip(data: bytes) -> dict[str, Any]:
    """A course package from a zip of a course folder; nothing outside the manifest is read."""
    if len(data) > MAX_PACKAGE_BYTES:
        raise PackageError("the file is larger than 2 MB")
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
    except zipfile.BadZipFile as error:
        raise PackageError("the file is not a zip archive") from error
    with archive:

        def read(name: str) -> str:
            info = archive.getinfo(name) if name in archive.namelist() else None
            if info is None:
                raise PackageError(f"{name} is missing from the archive")
            if info.file_size > MAX_PACKAGE_BYTES:
                raise PackageError(f"{name} is too large")
            return archive.read(info).decode("utf-8")

        try:
            manifest = json.loads(read("manifest.json"))
        except json.JSONDecodeError as error:
            raise PackageError(f"manifest.json is not valid JSON: {error}") from error
        return _inline(manifest, read)


def read_json(data: bytes) -> dict[str, Any]:
    """A course package exported as one JSON document."""
    if len(data) > MAX_PACKAGE_BYTES:
        raise PackageError("the file is larger than 2 MB")
    try:
        package = json.loads(data.decode("utf-8"))
    except (UnicodeDecodeError, json.JSONDecodeError) as error:
        raise PackageError(f"the file is not valid JSON: {error}") from error
    if not isinstance(package, dict):
        raise PackageError("the file does not hold a course")
    return validate(package)


def read_upload(name: str, data: bytes) -> dict[str, Any]:
    return read_zip(data) if name.lower().endswith(".zip") else read_json(data)


def write_zip(package: dict[str, Any]) -> bytes:
    """A zip in the folder layout, readable by ``read_zip``."""
    buffer = io.BytesIO()
    manifest = {key: value for key, value in package.items() if key != "languages"}
    manifest["languages"] = {}
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for code, language in package["languages"].items():
            names = []
            for number, lesson in enumerate(language["lessons"], start=1):
                name = f"{number:02d}.md"
                names.append(name)
                archive.writestr(f"{code}/{name}", f"# {lesson['title']}\n\n{lesson['body']}")
            archive.writestr(
                f"{code}/quiz.json", json.dumps(language["questions"], ensure_ascii=False, indent=1)
            )
            manifest["languages"][code] = {
                "title": language["title"],
                "summary": language["summary"],
                "lessons": names,
                "quiz": "quiz.json",
            }
        archive.writestr("manifest.json", json.dumps(manifest, ensure_ascii=False, indent=1))
    return buffer.getvalue()


def _require(condition: bool, message: str) -> None:
    if not condition:
        raise PackageError(message)


def validate(package: dict[str, Any]) -> dict[str, Any]:
    """The package itself, once every rule holds; else ``PackageError`` naming the first problem."""
    _require(package.get("format") == FORMAT, f"format must be {FORMAT!r}")
    _require(
        isinstance(package.get("slug"), str) and bool(SLUG.match(package["slug"])),
        "slug: lower-case letters, digits and dashes",
    )
    _require(package.get("audience") in AUDIENCES, f"audience must be one of {', '.join(AUDIENCES)}")
    pass_mark = package.get("pass_mark")
    _require(isinstance(pass_mark, int) and 1 <= pass_mark <= 100, "pass_mark: a whole number from 1 to 100")
    attempts = package.get("max_attempts")
    _require(isinstance(attempts, int) and 0 <= attempts <= 100, "max_attempts: 0 (no limit) to 100")
    languages = package.get("languages")
    if not isinstance(languages, dict) or not languages:
        raise PackageError("languages: at least one language")
    for code, language in languages.items():
        _require(code in ("en", "es", "fr"), f"language {code!r}: one of en, es, fr")
        _require(bool(str(language.get("title", "")).strip()), f"{code}: a title")
        _require(isinstance(language.get("summary", ""), str), f"{code}: the summary is text")
        lessons = language.get("lessons")
        _require(isinstance(lessons, list) and bool(lessons), f"{code}: at least one lesson")
        for number, lesson in enumerate(lessons, start=1):
            _require(
                isinstance(lesson, dict)
                and bool(str(lesson.get("title", "")).strip())
                and isinstance(lesson.get("body"), str),
                f"{code}: lesson {number} needs a title and a body",
            )
        questions = language.get("questions")
        _require(isinstance(questions, list), f"{code}: questions is a list")
        seen: set[str] = set()
        for question in questions:
            _validate_question(code, question, seen)
    return package


def _validate_question(code: str, question: Any, seen: set[str]) -> None:
    _require(isinstance(question, dict), f"{code}: each question is an object")
    qid = str(question.get("id", ""))
    where = f"{code}: question {qid or '?'}"
    _require(bool(qid) and qid not in seen, f"{where}: a unique id")
    seen.add(qid)
    _require(question.get("type") in QUESTION_KINDS, f"{where}: type is one of {', '.join(QUESTION_KINDS)}")
    _require(bool(str(question.get("prompt", "")).strip()), f"{where}: a prompt")
    options = question.get("options")
    _require(isinstance(options, list) and len(options) >= 2, f"{where}: at least two options")
    ids = [str(option.get("id", "")) for option in options]
    _require(all(ids) and len(set(ids)) == len(ids), f"{where}: options need unique ids")
    _require(
        all(str(option.get("text", "")).strip() for option in options), f"{where}: every option has text"
    )
    correct = sum(1 for option in options if option.get("correct"))
    kind = question["type"]
    if kind in ("single", "true_false"):
        _require(correct == 1, f"{where}: exactly one correct option")
    if kind == "true_false":
        _require(len(options) == 2, f"{where}: true/false has two options")
    if kind == "multiple":
        _require(correct >= 1, f"{where}: at least one correct option")
    if kind in ("single", "true_false", "multiple"):
        _require(
            all(str(option.get("feedback", "")).strip() for option in options),
            f"{where}: every answer explains why (feedback)",
        )
    if kind == "ordering":
        _require(bool(str(question.get("explanation", "")).strip()), f"{where}: an explanation of the order")


# The authoring text formats -------------------------------------------------------------------
#
# In the web editor a language's lessons are one Markdown text, each lesson starting with its
# "# " title, and its quiz is a short text:
#
#     ## q1 single 2          id, type, and the correct option numbers (1-based; "1,3" for multiple)
#     The prompt, on one or more lines.
#     - An option | feedback explaining why
#     = An explanation shown after the answer (required for ordering, whose options are
#       written in the right order)
#
# Ordering items get ids that do not give their order away.

QUESTION_LINE = re.compile(r"^## (\S+) (single|multiple|true_false|ordering)(?: ([\d,]+))?\s*$")
ORDERING_IDS = "kdrbmtfwghnp"


def lessons_from_text(text: str) -> list[dict[str, str]]:
    lessons: list[dict[str, str]] = []
    for line in text.replace("\r\n", "\n").split("\n"):
        if line.startswith("# "):
            lessons.append({"title": line[2:].strip(), "body": ""})
        elif lessons:
            lessons[-1]["body"] += line + "\n"
        elif line.strip():
            raise PackageError("lessons: start each lesson with its title on a '# ' line")
    for lesson in lessons:
        lesson["body"] = lesson["body"].strip() + "\n"
    return lessons


def lessons_to_text(lessons: list[dict[str, str]]) -> str:
    return "\n".join(f"# {lesson['title']}\n\n{lesson['body'].strip()}\n" for lesson in lessons)


def quiz_from_text(text: str) -> list[dict[str, Any]]:
    questions: list[dict[str, Any]] = []
    correct_of: dict[str, str] = {}
    for number, raw in enumerate(text.replace("\r\n", "\n").split("\n"), start=1):
        line = raw.rstrip()
        if not line.strip():
            continue
        header = QUESTION_LINE.match(line)
        if header:
            question: dict[str, Any] = {
                "id": header.group(1),
                "type": header.group(2),
                "prompt": "",
                "options": [],
            }
            correct_of[question["id"]] = header.group(3) or ""
            questions.append(question)
            continue
        if not questions:
            raise PackageError(f"quiz line {number}: start each question with '## <id> <type> <correct>'")
        question = questions[-1]
        if line.startswith("- "):
            text_, _sep, feedback = line[2:].partition(" | ")
            option: dict[str, Any] = {"id": chr(ord("a") + len(question["options"])), "text": text_.strip()}
            if feedback.strip():
                option["feedback"] = feedback.strip()
            question["options"].append(option)
        elif line.startswith("= "):
            question["explanation"] = line[2:].strip()
        else:
            question["prompt"] = f"{question['prompt']} {line.strip()}".strip()
    for question in questions:
        options = question["options"]
        if question["type"] == "ordering":
            for option, oid in zip(options, ORDERING_IDS, strict=False):
                option["id"] = oid
            continue
        if question["type"] == "true_false":
            for option, oid in zip(options, ("true", "false"), strict=False):
                option["id"] = oid
        picks = correct_of[question["id"]]
        if not re.fullmatch(r"\d+(,\d+)*", picks):
            raise PackageError(
                f"question {question['id']}: say which options are correct, e.g. '## q1 single 2'"
            )
        for position in {int(p) for p in picks.split(",")}:
            if not 1 <= position <= len(options):
                raise PackageError(f"question {question['id']}: there is no option {position}")
            options[position - 1]["correct"] = True
    return questions


def quiz_to_text(questions: list[dict[str, Any]]) -> str:
    blocks = []
    for question in questions:
        correct = ",".join(str(i) for i, o in enumerate(question["options"], start=1) if o.get("correct"))
        header = f"## {question['id']} {question['type']}" + (
            f" {correct}" if question["type"] != "ordering" else ""
        )
        lines = [header, question["prompt"]]
        for option in question["options"]:
            feedback = option.get("feedback", "")
            lines.append(f"- {option['text']}" + (f" | {feedback}" if feedback else ""))
        if question.get("explanation"):
            lines.append(f"= {question['explanation']}")
        blocks.append("\n".join(lines))
    return "\n\n".join(blocks) + "\n"
