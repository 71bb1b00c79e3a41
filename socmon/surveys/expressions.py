"""The XPath subset XLSForms use in `relevant` and `constraint`, parsed once at upload, evaluated on submission.

Supported: `${name}` (another answer), `.` (this answer), numbers, 'strings' and "strings", parentheses,
`=`, `!=`, `<`, `<=`, `>`, `>=`, `+`, `-`, `*`, `div`, `mod`, `and`, `or`, and the functions `not()`,
`selected(${x}, 'v')`, `count-selected()`, `string-length()`, `regex()`, `number()`, `string()`,
`true()`, `false()`. Anything else is a `ExpressionError` at upload, so a form never breaks while a client answers.

Values follow XPath 1.0: an answer is a string ("" when unanswered; a select_multiple is its choices separated
by spaces); a comparison with a number compares numbers (an empty or non-numeric string is NaN, so never
equal, never less or greater); two ISO dates compare as dates.
"""

import math
import re
from dataclasses import dataclass

TOKEN = re.compile(r"""
    \s*(?:
      (?P<ref>\$\{\s*(?P<refname>[A-Za-z_][\w.\-]*)\s*\})
    | (?P<number>\d+(?:\.\d*)?|\.\d+)
    | (?P<string>'[^']*'|"[^"]*")
    | (?P<op>!=|<=|>=|=|<|>|\+|-|\*|\(|\)|,|\.)
    | (?P<name>[A-Za-z_][\w\-]*)
    )""", re.VERBOSE)
FUNCTIONS = {"not": (1, 1), "selected": (2, 2), "count-selected": (1, 1), "string-length": (0, 1),
             "regex": (2, 2), "number": (1, 1), "string": (1, 1), "true": (0, 0), "false": (0, 0)}
WORD_OPERATORS = {"and", "or", "div", "mod"}
ISO_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")


class ExpressionError(ValueError):
    """An expression socmon cannot read (kept in English: shown inside a translated sentence)."""


@dataclass(frozen=True)
class Node:
    kind: str  # "num", "str", "ref", "self", "fn", "op", "neg"
    value: object = None
    args: tuple = ()


def _tokens(text: str) -> list[tuple[str, str]]:
    tokens, position = [], 0
    text = text.rstrip()
    while position < len(text):
        match = TOKEN.match(text, position)
        if not match or match.end() == position:
            raise ExpressionError(f"cannot read {text[position:].strip()[:20]!r}")
        position = match.end()
        for kind in ("ref", "number", "string", "op", "name"):
            if match.group(kind) is not None:
                tokens.append((kind, match.group("refname") if kind == "ref" else match.group(kind)))
                break
    return tokens


class _Parser:
    # Lowest to highest precedence, as in XPath 1.0.
    LEVELS = [("or",), ("and",), ("=", "!="), ("<", "<=", ">", ">="), ("+", "-"), ("*", "div", "mod")]

    def __init__(self, text: str):
        self.tokens = _tokens(text)
        self.at = 0

    def peek(self):
        return self.tokens[self.at] if self.at < len(self.tokens) else (None, None)

    def take(self, value=None):
        kind, text = self.peek()
        if kind is None or (value is not None and text != value):
            raise ExpressionError(f"expected {value!r}" if value else "the expression ends too early")
        self.at += 1
        return kind, text

    def parse(self) -> Node:
        if not self.tokens:
            raise ExpressionError("the expression is empty")
        node = self.binary(0)
        if self.at != len(self.tokens):
            raise ExpressionError(f"unexpected {self.peek()[1]!r}")
        return node

    def binary(self, level: int) -> Node:
        if level == len(self.LEVELS):
            return self.unary()
        node = self.binary(level + 1)
        while True:
            kind, text = self.peek()
            if kind in ("op", "name") and text in self.LEVELS[level]:
                self.take()
                node = Node("op", text, (node, self.binary(level + 1)))
            else:
                return node

    def unary(self) -> Node:
        kind, text = self.peek()
        if kind == "op" and text == "-":
            self.take()
            return Node("neg", None, (self.unary(),))
        return self.primary()

    def primary(self) -> Node:
        kind, text = self.take()
        if kind == "number":
            return Node("num", float(text))
        if kind == "string":
            return Node("str", text[1:-1])
        if kind == "ref":
            return Node("ref", text)
        if kind == "op" and text == ".":
            return Node("self")
        if kind == "op" and text == "(":
            node = self.binary(0)
            self.take(")")
            return node
        if kind == "name" and text not in WORD_OPERATORS:
            if text not in FUNCTIONS:
                raise ExpressionError(f"unknown function {text!r}")
            self.take("(")
            args = []
            if self.peek()[1] != ")":
                args.append(self.binary(0))
                while self.peek()[1] == ",":
                    self.take(",")
                    args.append(self.binary(0))
            self.take(")")
            low, high = FUNCTIONS[text]
            if not low <= len(args) <= high:
                raise ExpressionError(f"{text}() takes {low}–{high} arguments")
            if text == "regex" and args[1].kind == "str":
                try:
                    re.compile(args[1].value)
                except re.error as error:
                    raise ExpressionError(f"bad regular expression: {error}") from None
            return Node("fn", text, tuple(args))
        raise ExpressionError(f"unexpected {text!r}")


@dataclass(frozen=True)
class Expression:
    text: str
    tree: Node

    def references(self) -> set[str]:
        found: set[str] = set()

        def walk(node: Node):
            if node.kind == "ref":
                found.add(node.value)
            for arg in node.args:
                walk(arg)

        walk(self.tree)
        return found

    def evaluate(self, answers: dict, current=None) -> bool:
        """True or false for `answers` (question name → value) and `current` (the value of `.`)."""
        return _boolean(_eval(self.tree, answers, current))


def parse(text: str) -> Expression:
    return Expression(text, _Parser(text).parse())


def _as_text(value) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, list | tuple):
        return " ".join(str(v) for v in value)
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


def _number(value) -> float:
    if isinstance(value, bool):
        return 1.0 if value else 0.0
    if isinstance(value, int | float):
        return float(value)
    try:
        return float(_as_text(value).strip())
    except ValueError:
        return math.nan


def _boolean(value) -> bool:
    if isinstance(value, bool):
        return value
    if isinstance(value, int | float):
        return not (value == 0 or math.isnan(value))
    return bool(_as_text(value))


def _compare(op: str, left, right) -> bool:
    if isinstance(left, bool) or isinstance(right, bool):
        a, b = _boolean(left), _boolean(right)
    elif op in ("=", "!=") and not (isinstance(left, int | float) or isinstance(right, int | float)):
        a, b = _as_text(left), _as_text(right)
    elif ISO_DATE.match(_as_text(left)) and ISO_DATE.match(_as_text(right)):
        a, b = _as_text(left), _as_text(right)
    else:
        a, b = _number(left), _number(right)
        if math.isnan(a) or math.isnan(b):
            return op == "!="
    return {"=": a == b, "!=": a != b, "<": a < b, "<=": a <= b, ">": a > b, ">=": a >= b}[op]


def _eval(node: Node, answers: dict, current):
    kind = node.kind
    if kind in ("num", "str"):
        return node.value
    if kind == "ref":
        return answers.get(node.value)
    if kind == "self":
        return current
    if kind == "neg":
        return -_number(_eval(node.args[0], answers, current))
    if kind == "op":
        op = node.value
        if op == "or":
            return _boolean(_eval(node.args[0], answers, current)) or _boolean(_eval(node.args[1], answers, current))
        if op == "and":
            return _boolean(_eval(node.args[0], answers, current)) and _boolean(_eval(node.args[1], answers, current))
        left, right = (_eval(arg, answers, current) for arg in node.args)
        if op in ("=", "!=", "<", "<=", ">", ">="):
            return _compare(op, left, right)
        a, b = _number(left), _number(right)
        if op == "+":
            return a + b
        if op == "-":
            return a - b
        if op == "*":
            return a * b
        if op == "div":
            return a / b if b else (math.nan if a == 0 or math.isnan(a) else math.copysign(math.inf, a))
        return math.fmod(a, b) if b else math.nan  # mod
    args = [_eval(arg, answers, current) for arg in node.args]
    name = node.value
    if name == "not":
        return not _boolean(args[0])
    if name == "true":
        return True
    if name == "false":
        return False
    if name == "selected":
        return _as_text(args[1]).strip() in _as_text(args[0]).split()
    if name == "count-selected":
        return float(len(_as_text(args[0]).split()))
    if name == "string-length":
        return float(len(_as_text(args[0] if args else current)))
    if name == "regex":
        return re.search(_as_text(args[1]), _as_text(args[0])) is not None
    if name == "number":
        return _number(args[0])
    return _as_text(args[0])  # string
