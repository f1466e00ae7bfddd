"""AST mutation operators: each mutant is one small change at one place in one module."""
from __future__ import annotations

import ast
import copy
from dataclasses import dataclass

_FLIP = {
    ast.Eq: ast.NotEq, ast.NotEq: ast.Eq, ast.Lt: ast.GtE, ast.GtE: ast.Lt, ast.Gt: ast.LtE,
    ast.LtE: ast.Gt, ast.In: ast.NotIn, ast.NotIn: ast.In, ast.Is: ast.IsNot, ast.IsNot: ast.Is,
}


@dataclass(frozen=True)
class Mutant:
    """One mutation: where it is and what it does."""

    path: str
    lineno: int
    description: str
    index: int  # the n-th mutation site of this module (stable for one source text)


def _docstring_ids(tree: ast.AST) -> set[int]:
    """Ids of the docstring constants (never mutated)."""
    ids = set()
    for node in ast.walk(tree):
        if isinstance(node, (ast.Module, ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)) and node.body:
            first = node.body[0]
            value = first.value if isinstance(first, ast.Expr) else None
            if isinstance(value, ast.Constant) and isinstance(value.value, str):
                ids.add(id(value))
    return ids


def _skipped_ids(tree: ast.AST) -> set[int]:
    """Constants inside f-strings, annotations and __all__: mutating them proves nothing."""
    ids = _docstring_ids(tree)
    for node in ast.walk(tree):
        parts: list[ast.AST] = []
        if isinstance(node, ast.JoinedStr):
            parts = [node]
        elif isinstance(node, (ast.arg, ast.AnnAssign)) and node.annotation is not None:
            parts = [node.annotation]
        elif isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)) and node.returns is not None:
            parts = [node.returns]
        elif isinstance(node, ast.Assign) and any(getattr(t, "id", None) == "__all__" for t in node.targets):
            parts = [node.value]
        for part in parts:
            ids.update(id(n) for n in ast.walk(part))
    return ids


def _boolish(value: ast.AST | None) -> bool:
    """A returned expression that is a truth value (negating anything else only tests for a crash)."""
    if isinstance(value, ast.Constant):
        return isinstance(value.value, bool)
    negation = isinstance(value, ast.UnaryOp) and isinstance(value.op, ast.Not)
    return negation or isinstance(value, (ast.Compare, ast.BoolOp))


def _sites(tree: ast.AST, only: set[str] | None) -> list[tuple[ast.AST, str]]:
    """Every (node, kind) that can be mutated, in a stable order."""
    roots: list[ast.AST] = [tree]
    if only:
        functions = (ast.FunctionDef, ast.AsyncFunctionDef)
        roots = [n for n in ast.walk(tree) if isinstance(n, functions) and n.name in only]
    skip = _skipped_ids(tree)
    found: list[tuple[ast.AST, str]] = []
    for root in roots:
        for node in ast.walk(root):
            if id(node) in skip:
                continue
            if isinstance(node, ast.Compare):
                found.extend((node, f"cmp{i}") for i, op in enumerate(node.ops) if type(op) in _FLIP)
            elif isinstance(node, ast.BoolOp):
                found.append((node, "boolop"))
                found.extend((node, f"drop{i}") for i in range(len(node.values)))
            elif isinstance(node, ast.UnaryOp) and isinstance(node.op, ast.Not):
                found.append((node, "unnot"))
            elif isinstance(node, ast.IfExp):
                found.append((node, "ifexp"))
            elif isinstance(node, ast.If):
                found.append((node, "ifnot"))
            elif isinstance(node, ast.Return) and _boolish(node.value):
                found.append((node, "retnot"))
            if isinstance(node, ast.Compare):
                consts = [node.left, *node.comparators]
            elif isinstance(node, ast.keyword):
                consts = [node.value]
            else:
                consts = list(node.elts) if isinstance(node, (ast.Tuple, ast.Set, ast.List)) else []
            found.extend((c, "const") for c in consts
                         if isinstance(c, ast.Constant) and id(c) not in skip
                         and isinstance(c.value, (bool, int, float, str)))
    return found


def _describe_and_apply(node: ast.AST, kind: str) -> str:
    """Mutate `node` in place (it belongs to a copy) and say what changed."""
    if kind.startswith("cmp"):
        i = int(kind[3:])
        old = type(node.ops[i])
        node.ops[i] = _FLIP[old]()
        return f"{old.__name__} -> {_FLIP[old].__name__}"
    if kind == "boolop":
        old = type(node.op).__name__
        node.op = ast.Or() if isinstance(node.op, ast.And) else ast.And()
        return f"{old} -> {type(node.op).__name__}"
    if kind.startswith("drop"):
        i = int(kind[4:])
        removed = ast.unparse(node.values[i])
        del node.values[i]
        return f"drop operand {i} of {type(node.op).__name__}: {removed[:60]}"
    if kind == "unnot":
        node.op = ast.UAdd()  # `+x` on a bool keeps its truth value: the `not` is removed
        return "remove `not`"
    if kind == "ifexp":
        node.body, node.orelse = node.orelse, node.body
        return "swap the branches of `x if c else y`"
    if kind == "ifnot":
        node.test = ast.UnaryOp(op=ast.Not(), operand=node.test)
        return "negate if condition"
    if kind == "retnot":
        node.value = ast.UnaryOp(op=ast.Not(), operand=node.value)
        return "return not (...)"
    value = node.value
    if isinstance(value, bool):
        node.value = not value
    elif isinstance(value, (int, float)):
        node.value = value + 1
    else:
        node.value = "XX" + value if value else "XX"
    return f"constant {value!r} -> {node.value!r}"


def mutants(path: str, source: str, only: set[str] | None = None) -> list[Mutant]:
    """All mutants of one module (or of the named functions in it)."""
    tree = ast.parse(source)
    result = []
    for index, (node, kind) in enumerate(_sites(tree, only)):
        probe = copy.deepcopy(tree)
        target, _ = _sites(probe, only)[index]
        description = _describe_and_apply(target, kind)
        result.append(Mutant(path, getattr(node, "lineno", 0), description, index))
    return result


def mutated_source(source: str, mutant: Mutant, only: set[str] | None = None) -> str:
    """The module's text with `mutant` applied."""
    tree = ast.parse(source)
    node, kind = _sites(tree, only)[mutant.index]
    _describe_and_apply(node, kind)
    return ast.unparse(ast.fix_missing_locations(tree))
