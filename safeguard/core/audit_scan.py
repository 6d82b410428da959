"""Every audit action code the source can write, read from the source itself (no Django, no imports).

The scan follows ``audit_record(action=...)`` calls the way the code builds the code: literals,
``a if cond else b``, f-strings, parameters of wrapper functions (followed to every call of the
wrapper), small helpers returning an f-string, and ``TextChoices`` parameters (every member).
An expression it cannot follow is reported, so that a new way of writing codes is noticed.
"""

from __future__ import annotations

import ast
import itertools
from collections import defaultdict
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

WRITER = "audit_record"

# Expressions the scan cannot follow alone, spelled as ``ast.unparse`` prints them: the codes
# they stand for. ``_entry_kind(entry)`` names a legal registry model (``registry.ENTRY_MODELS``).
KNOWN_EXPRESSIONS: dict[str, frozenset[str]] = {
    "_entry_kind(entry)": frozenset(
        {"jurisdiction", "instrument_status", "law", "provision", "authority", "duty"}
    ),
}


@dataclass
class _Function:
    node: ast.FunctionDef | ast.AsyncFunctionDef
    path: Path


@dataclass
class ScanResult:
    codes: set[str] = field(default_factory=set)
    unresolved: list[str] = field(default_factory=list)


def _source_files(root: Path) -> Iterator[Path]:
    for path in sorted(root.rglob("*.py")):
        parts = set(path.parts)
        if "tests" in parts or "migrations" in parts or "testing" in parts:
            continue
        yield path


def _call_name(call: ast.Call) -> str | None:
    if isinstance(call.func, ast.Name):
        return call.func.id
    if isinstance(call.func, ast.Attribute):
        return call.func.attr
    return None


class _Scanner:
    def __init__(self, root: Path) -> None:
        self.functions: dict[str, list[_Function]] = defaultdict(list)
        # Each call with the function it sits in (``None`` at module level).
        self.calls: dict[str, list[tuple[ast.Call, _Function | None]]] = defaultdict(list)
        self.choices: dict[str, frozenset[str]] = {}
        self.result = ScanResult()
        for path in _source_files(root):
            self._index(path, ast.parse(path.read_text(encoding="utf-8"), filename=str(path)))

    def _index(self, path: Path, tree: ast.Module) -> None:
        def visit(node: ast.AST, enclosing: _Function | None) -> None:
            for child in ast.iter_child_nodes(node):
                inner = enclosing
                if isinstance(child, ast.FunctionDef | ast.AsyncFunctionDef):
                    inner = _Function(child, path)
                    self.functions[child.name].append(inner)
                elif isinstance(child, ast.ClassDef):
                    self._index_choices(child)
                elif isinstance(child, ast.Call) and (name := _call_name(child)):
                    self.calls[name].append((child, enclosing))
                visit(child, inner)

        visit(tree, None)

    def _index_choices(self, node: ast.ClassDef) -> None:
        bases = {ast.unparse(base) for base in node.bases}
        if not bases & {"models.TextChoices", "TextChoices"}:
            return
        values = set()
        for statement in node.body:
            if isinstance(statement, ast.Assign) and len(statement.targets) == 1:
                value = statement.value
                if isinstance(value, ast.Tuple) and value.elts:
                    value = value.elts[0]
                if isinstance(value, ast.Constant) and isinstance(value.value, str):
                    values.add(value.value)
        self.choices[node.name] = frozenset(values)

    def _where(self, function: _Function | None, node: ast.AST) -> str:
        path = function.path if function else "?"
        return f"{path}:{getattr(node, 'lineno', '?')}: {ast.unparse(node)}"

    def codes(
        self,
        expression: ast.expr,
        function: _Function | None,
        bound: dict[str, frozenset[str]] | None = None,
        depth: int = 0,
    ) -> frozenset[str]:
        """The strings ``expression`` can take inside ``function``."""
        bound = bound or {}
        text = ast.unparse(expression)
        if text in KNOWN_EXPRESSIONS:
            return KNOWN_EXPRESSIONS[text]
        if isinstance(expression, ast.Constant) and isinstance(expression.value, str):
            return frozenset({expression.value})
        if isinstance(expression, ast.IfExp):
            return self.codes(expression.body, function, bound, depth) | self.codes(
                expression.orelse, function, bound, depth
            )
        if isinstance(expression, ast.JoinedStr):
            parts: list[Iterable[str]] = []
            for value in expression.values:
                if isinstance(value, ast.FormattedValue):
                    parts.append(self.codes(value.value, function, bound, depth))
                else:
                    parts.append(self.codes(value, function, bound, depth))
            return frozenset("".join(combination) for combination in itertools.product(*parts))
        if isinstance(expression, ast.Attribute) and isinstance(expression.value, ast.Name):
            members = self._choice_member(expression.value.id, expression.attr)
            if members is not None:
                return members
        if isinstance(expression, ast.Name):
            if expression.id in bound:
                return bound[expression.id]
            if function is not None and depth < 6:
                return self._parameter(expression.id, function, depth)
        if isinstance(expression, ast.Call) and depth < 6:
            return self._helper(expression, function, bound, depth)
        self.result.unresolved.append(self._where(function, expression))
        return frozenset()

    def _choice_member(self, class_name: str, member: str) -> frozenset[str] | None:
        # ``CaseEventKind.ASSIGNED`` is the member's value: the member's name lower-cased, here.
        if class_name in self.choices:
            return frozenset({member.lower()}) & self.choices[class_name] or self.choices[class_name]
        return None

    def _parameters(self, function: _Function) -> list[ast.arg]:
        arguments = function.node.args
        return [*arguments.posonlyargs, *arguments.args, *arguments.kwonlyargs]

    def _parameter(self, name: str, function: _Function, depth: int) -> frozenset[str]:
        parameters = self._parameters(function)
        positional = [*function.node.args.posonlyargs, *function.node.args.args]
        parameter = next((argument for argument in parameters if argument.arg == name), None)
        if parameter is None:
            return self._assigned(name, function, depth)
        annotation = ast.unparse(parameter.annotation) if parameter.annotation else ""
        if annotation in self.choices:
            return self.choices[annotation]
        index = positional.index(parameter) if parameter in positional else None
        codes: set[str] = set()
        for call, caller in self.calls.get(function.node.name, []):
            # A private helper (``_record``) is called from its own module only; others share its name.
            if function.node.name.startswith("_") and (caller is None or caller.path != function.path):
                continue
            argument = next((keyword.value for keyword in call.keywords if keyword.arg == name), None)
            if argument is None and index is not None and index < len(call.args):
                argument = call.args[index]
            if argument is not None:
                codes |= self.codes(argument, caller, depth=depth + 1)
        return frozenset(codes)

    def _assigned(self, name: str, function: _Function, depth: int) -> frozenset[str]:
        codes: set[str] = set()
        for node in ast.walk(function.node):
            if isinstance(node, ast.Assign):
                for target in node.targets:
                    if isinstance(target, ast.Name) and target.id == name:
                        codes |= self.codes(node.value, function, depth=depth + 1)
                    elif isinstance(target, ast.Tuple) and isinstance(node.value, ast.Tuple):
                        for element, value in zip(target.elts, node.value.elts, strict=False):
                            if isinstance(element, ast.Name) and element.id == name:
                                codes |= self.codes(value, function, depth=depth + 1)
        if not codes:
            self.result.unresolved.append(f"{function.path}: {name} in {function.node.name}")
        return frozenset(codes)

    def _helper(
        self, call: ast.Call, function: _Function | None, bound: dict[str, frozenset[str]], depth: int
    ) -> frozenset[str]:
        name = _call_name(call) or ""
        helpers = self.functions.get(name, [])
        if name.startswith("_") and function is not None:
            helpers = [helper for helper in helpers if helper.path == function.path]
        returns = [
            node.value
            for helper in helpers
            for node in ast.walk(helper.node)
            if isinstance(node, ast.Return) and node.value is not None
        ]
        if len(helpers) != 1 or not returns:
            self.result.unresolved.append(self._where(function, call))
            return frozenset()
        helper = helpers[0]
        positional = [*helper.node.args.posonlyargs, *helper.node.args.args]
        arguments: dict[str, frozenset[str]] = {}
        for parameter, argument in zip(positional, call.args, strict=False):
            if isinstance(argument, ast.Constant | ast.IfExp | ast.JoinedStr):
                arguments[parameter.arg] = self.codes(argument, function, bound, depth + 1)
        for keyword in call.keywords:
            if keyword.arg and isinstance(keyword.value, ast.Constant | ast.IfExp | ast.JoinedStr):
                arguments[keyword.arg] = self.codes(keyword.value, function, bound, depth + 1)
        codes: set[str] = set()
        for value in returns:
            codes |= self.codes(value, helper, arguments, depth + 1)
        return frozenset(codes)

    def scan(self) -> ScanResult:
        for call, function in self.calls.get(WRITER, []):
            action = next((keyword.value for keyword in call.keywords if keyword.arg == "action"), None)
            if action is None:
                self.result.unresolved.append(self._where(function, call))
                continue
            self.result.codes |= self.codes(action, function)
        return self.result


def written_codes(root: Path) -> ScanResult:
    """Every action code ``audit_record`` is called with under ``root`` (tests and migrations aside)."""
    return _Scanner(root).scan()


if __name__ == "__main__":
    import sys

    found = written_codes(Path(sys.argv[1] if len(sys.argv) > 1 else "safeguard"))
    print("\n".join(sorted(found.codes)))
    print("\n".join(f"unresolved: {where}" for where in found.unresolved), file=sys.stderr)
