"""The original's Go templates (text/template syntax) translated to Jinja2, line for line, at load time.

`translate` turns a Go template into a Jinja2 template over the same context names: `{{ .TaskID }}`
becomes `{{ TaskID }}`, `{{ range $i, $v := .Data }}` a `{% for %}`, and so on. Each Go action becomes one
Jinja tag on the same line, so Jinja's errors point at the user's own lines. The Go functions that have no
Jinja operator (`printf`, `print`, `html`, …) are the `go_…` helpers of `GO_FUNCTIONS`, which the
environment must offer as globals. A construct outside the supported subset raises `GoTemplateError` with
its line, rather than being guessed at.
"""

from __future__ import annotations

import ast
import html
import re
import urllib.parse
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass, field
from typing import Any, NoReturn

import jinja2

SUPPORTED = (
    "{{.Field}}, {{.A.B}}, {{$x.Field}}, {{$x := …}}, {{if}}/{{else if}}/{{else}}/{{end}}, "
    "{{range …}} (with $i, $v := and {{else}}), printf, print, println, index, len, "
    "eq, ne, lt, le, gt, ge, and, or, not, html, js, urlquery, pipes, {{- -}}, {{/* */}}"
)

# Go keywords that open a construct sunoql does not translate.
_UNSUPPORTED_KEYWORDS = ("with", "template", "block", "define", "break", "continue")
_JINJA_RESERVED = frozenset({"and", "or", "not", "in", "is", "if", "else", "true", "false", "none", "loop"})
_JINJA_RESERVED |= {"True", "False", "None"}

# A Go action's telltale start, or a `.Field`/`$var` operand inside one; Jinja writes neither.
_GO_MARKER = re.compile(
    r"\{\{-?\s*(?:/\*|\.|\$|(?:range|end|else|with|define|template|block)(?![\w(])"
    r'|(?:printf|println|print|index|len|html|js|urlquery)\s+[."$(`\d])'
    r"|\|\s*(?:html|js|urlquery)\s*-?\}\}"
    r"|\{\{[^}]*?[\s(]\$?\.[A-Za-z_]"
    r"|\{\{[^}]*?[\s(]\$[A-Za-z_]"
)

_TOKEN = re.compile(
    r"""(?P<space>\s+)
    |(?P<string>"(?:[^"\\\n]|\\.)*")
    |(?P<raw>`[^`]*`)
    |(?P<char>'(?:[^'\\\n]|\\.)*')
    |(?P<declare>:=)
    |(?P<assign>=)
    |(?P<pipe>\|)
    |(?P<lparen>\()
    |(?P<rparen>\))
    |(?P<comma>,)
    |(?P<var>\$[A-Za-z_0-9]*)
    |(?P<field>\.[A-Za-z_][A-Za-z_0-9]*)
    |(?P<number>[-+]?(?:0[xX][0-9a-fA-F_]+|\d[\d_]*(?:\.\d*)?(?:[eE][-+]?\d+)?|\.\d+(?:[eE][-+]?\d+)?))
    |(?P<dot>\.)
    |(?P<ident>[A-Za-z_][A-Za-z_0-9]*)
    """,
    re.VERBOSE,
)


class GoTemplateError(Exception):
    """A Go template sunoql cannot translate: the template line, the construct, and why."""

    def __init__(self, line: int, construct: str, problem: str) -> None:
        super().__init__(f"line {line}: {construct}: {problem}")
        self.line = line
        self.construct = construct
        self.problem = problem


def looks_like_go(text: str) -> bool:
    """Whether a template is written in Go template syntax (`.Field`, `$var`, `range`, `end`, …)."""
    return _GO_MARKER.search(text) is not None


@dataclass(frozen=True, slots=True)
class _Token:
    kind: str
    text: str
    start: int
    end: int


@dataclass(slots=True)
class _Block:
    """An open `if` or `range`: what closes it, and the dot and variables it brings."""

    kind: str
    line: int
    dot: str | None
    variables: set[str] = field(default_factory=set)
    has_else: bool = False


@dataclass(slots=True)
class _Action:
    body: str
    line: int
    source: str
    trim_left: bool
    trim_right: bool
    newlines: int


class _Translator:
    def __init__(self, text: str) -> None:
        self.text = text
        self.blocks: list[_Block] = []
        self.top_variables: set[str] = set()
        self.counter = 0
        self.mixed = "{%" in text

    # -- the template: text and actions ------------------------------------------------------------

    def run(self) -> str:
        out: list[str] = []
        trim_next = False
        for text, action in self._split():
            if trim_next:
                stripped = text.lstrip(" \t\r\n")
                removed = text.count("\n") - stripped.count("\n")
                text = stripped
                if removed:  # kept inside the previous tag, so later lines keep their numbers
                    out[-1] = _pad_end(out[-1], removed)
            if action is None:
                out.append(_escape_text(text))
                break
            removed_before = 0
            if action.trim_left:
                stripped = text.rstrip(" \t\r\n")
                removed_before = text.count("\n") - stripped.count("\n")
                text = stripped
            out.append(_escape_text(text))
            tag = _pad_start(self._action(action), removed_before)
            out.append(_pad_end(tag, action.newlines) if action.newlines else tag)
            trim_next = action.trim_right
        if self.blocks:
            block = self.blocks[-1]
            raise GoTemplateError(block.line, "{{" + block.kind + "}}", "has no {{end}}")
        return "".join(out)

    def _split(self) -> Iterator[tuple[str, _Action | None]]:
        text, pos = self.text, 0
        while True:
            start = text.find("{{", pos)
            if start < 0:
                yield text[pos:], None
                return
            line = text.count("\n", 0, start) + 1
            end = self._action_end(start, line)
            inner = text[start + 2 : end]
            trim_left = len(inner) >= 2 and inner[0] == "-" and inner[1] in " \t\r\n"
            trim_right = len(inner) >= 2 and inner[-1] == "-" and inner[-2] in " \t\r\n"
            body = inner[2 if trim_left else 0 : len(inner) - 2 if trim_right else len(inner)]
            source = text[start : end + 2]
            action = _Action(body, line, source, trim_left, trim_right, inner.count("\n"))
            yield text[pos:start], action
            pos = end + 2

    def _action_end(self, start: int, line: int) -> int:
        text, k = self.text, start + 2
        while k < len(text):
            if text.startswith("}}", k):
                return k
            char = text[k]
            if text.startswith("/*", k):
                close = text.find("*/", k + 2)
                if close < 0:
                    break
                k = close + 2
                continue
            if char in "\"'":
                k += 1
                while k < len(text) and text[k] != char:
                    if text[k] == "\n":
                        raise GoTemplateError(line, _clip(text[start:k]), "unterminated quoted string")
                    k += 2 if text[k] == "\\" else 1
            elif char == "`":
                close = text.find("`", k + 1)
                if close < 0:
                    break
                k = close
            k += 1
        raise GoTemplateError(line, _clip(text[start:]), "unclosed action: no }}")

    # -- one action -------------------------------------------------------------------------------

    def _action(self, action: _Action) -> str:
        body = action.body.strip(" \t\r\n")
        if body.startswith("/*"):
            if not body.endswith("*/"):
                self._fail(action, "a comment must be the whole action: {{/* … */}}")
            return "{# #}"
        tokens = self._tokens(action)
        if not tokens:
            self._fail(action, "empty action")
        first = tokens[0]
        if first.kind == "ident":
            keyword = first.text
            if keyword in _UNSUPPORTED_KEYWORDS:
                self._fail(action, f"{{{{{keyword}}}}} is not supported")
            if keyword == "if":
                condition = self._pipeline(action, tokens[1:])
                self.blocks.append(_Block("if", action.line, self._dot()))
                return f"{{% if {condition} %}}"
            if keyword == "range":
                return self._range(action, tokens[1:])
            if keyword == "else":
                return self._else(action, tokens[1:])
            if keyword == "end":
                if len(tokens) > 1:
                    self._fail(action, "{{end}} takes nothing")
                if not self.blocks:
                    self._fail(action, "{{end}} without an {{if}} or {{range}}")
                return "{% endif %}" if self.blocks.pop().kind == "if" else "{% endfor %}"
            if keyword == "nil" and len(tokens) == 1:
                self._fail(action, "nil is not a command")
        if first.kind == "var" and len(tokens) > 1 and tokens[1].kind in ("declare", "assign"):
            if tokens[1].kind == "assign":
                self._fail(action, "assigning to an existing variable ($x = …) is not supported; use :=")
            value = self._pipeline(action, tokens[2:])
            name = first.text
            if name == "$":
                self._fail(action, "$ cannot be declared")
            self._scope().add(name)
            return f"{{% set {_variable(name)} = {value} %}}"
        return f"{{{{ {self._pipeline(action, tokens)} }}}}"

    def _range(self, action: _Action, tokens: list[_Token]) -> str:
        self.counter += 1
        key, dot = f"go_key{self.counter}", f"go_dot{self.counter}"
        declared: list[str] = []
        rest = tokens
        if any(token.kind == "declare" for token in tokens):
            split = next(i for i, token in enumerate(tokens) if token.kind == "declare")
            names = [token for token in tokens[:split] if token.kind != "comma"]
            commas = [token for token in tokens[:split] if token.kind == "comma"]
            if (
                not 1 <= len(names) <= 2
                or any(token.kind != "var" for token in names)
                or len(commas) != len(names) - 1
            ):
                self._fail(action, "range declares $v or $i, $v")
            declared = [token.text for token in names]
            rest = tokens[split + 1 :]
        over = self._pipeline(action, rest)
        block = _Block("range", action.line, dot)
        if len(declared) == 2:
            key, dot = _variable(declared[0]), _variable(declared[1])
        elif len(declared) == 1:
            dot = _variable(declared[0])
        block.dot = dot
        block.variables.update(declared)
        self.blocks.append(block)
        return f"{{% for {key}, {dot} in go_range({over}) %}}"

    def _else(self, action: _Action, tokens: list[_Token]) -> str:
        if not self.blocks:
            self._fail(action, "{{else}} without an {{if}} or {{range}}")
        block = self.blocks[-1]
        if block.has_else:
            self._fail(action, "a second {{else}}")
        if tokens and tokens[0].kind == "ident" and tokens[0].text == "if" and block.kind == "if":
            block.variables = set()
            return f"{{% elif {self._pipeline(action, tokens[1:])} %}}"
        if tokens:
            self._fail(action, "{{else}} may only be followed by if (not with or range)")
        block.has_else = True
        block.variables = set()
        if block.kind == "range":
            # Go's range-else runs outside the loop: the dot is the enclosing one again.
            block.dot = self.blocks[-2].dot if len(self.blocks) > 1 else None
        return "{% else %}"

    # -- pipelines and operands -------------------------------------------------------------------

    def _pipeline(self, action: _Action, tokens: list[_Token]) -> str:
        if not tokens:
            self._fail(action, "missing value")
        commands: list[list[_Token]] = [[]]
        depth = 0
        for token in tokens:
            if token.kind == "pipe" and depth == 0:
                commands.append([])
                continue
            depth += (token.kind == "lparen") - (token.kind == "rparen")
            commands[-1].append(token)
        if depth != 0:
            self._fail(action, "unbalanced parentheses")
        result: str | None = None
        for command in commands:
            if not command:
                self._fail(action, "missing command in a pipeline")
            result = self._command(action, command, result)
        assert result is not None
        return result

    def _command(self, action: _Action, tokens: list[_Token], piped: str | None) -> str:
        operands = self._operands(action, tokens)
        head = tokens[0]
        if head.kind == "ident" and head.text not in ("true", "false", "nil"):
            args = operands[1:] + ([piped] if piped is not None else [])
            return self._call(action, head.text, args)
        if len(operands) > 1 or piped is not None:
            self._fail(action, f"{head.text} is not a function and takes no arguments")
        return operands[0]

    def _operands(self, action: _Action, tokens: list[_Token]) -> list[str]:
        """Each operand of a command as Jinja, with field chains and parenthesised pipelines."""
        operands: list[str] = []
        i = 0
        while i < len(tokens):
            token = tokens[i]
            if token.kind == "lparen":
                depth, j = 0, i
                while True:
                    depth += (tokens[j].kind == "lparen") - (tokens[j].kind == "rparen")
                    if depth == 0:
                        break
                    j += 1
                inner = self._pipeline(action, tokens[i + 1 : j])
                value, i = f"({inner})", j + 1
            elif token.kind == "var" and token.text == "$" and self._glued_field(tokens, i + 1):
                # $.Field: a top-level name, whatever the dot is here.
                value, i = self._top_level(action, tokens[i + 1].text[1:]), i + 2
            else:
                value, i = self._term(action, token), i + 1
            # A field chain glued to the operand: (index .Data 0).Title, $v.Metadata.Tags
            while self._glued_field(tokens, i):
                if token.kind in ("string", "raw", "number", "char"):
                    self._fail(action, f"{token.text} has no fields")
                value = _subscript(value, tokens[i].text[1:])
                i += 1
            operands.append(value)
        return operands

    def _term(self, action: _Action, token: _Token) -> str:
        kind, text = token.kind, token.text
        if kind == "string":
            return repr(ast.literal_eval(text))
        if kind == "raw":
            return repr(text[1:-1])
        if kind == "number":
            return repr(ast.literal_eval(text.replace("_", "")))
        if kind == "field":
            name = text[1:]
            dot = self._dot()
            return _subscript(dot, name) if dot is not None else self._top_level(action, name)
        if kind == "dot":
            dot = self._dot()
            if dot is None:
                self._fail(action, "{{.}} outside a range (the whole context) is not supported")
            return dot
        if kind == "var":
            if text == "$":
                self._fail(action, "$ alone (the whole context) is not supported; use $.Field")
            if not self._declared(text):
                self._fail(action, f"undefined variable {text}{self._mixed_hint()}")
            return _variable(text)
        if kind == "ident":
            if text in ("true", "false"):
                return text
            if text == "nil":
                return "none"
            return text  # a function name; _command calls it
        if kind == "char":
            self._fail(action, f"character constants like {text} are not supported")
        self._fail(action, f"unexpected {text!r}{self._mixed_hint()}")

    def _call(self, action: _Action, name: str, args: list[str]) -> str:
        def need(low: int, high: int | None = None) -> None:
            if len(args) < low or (high is not None and len(args) > high):
                count = str(low) if high == low else f"at least {low}" if high is None else f"{low} to {high}"
                self._fail(action, f"{name} takes {count} arguments, not {len(args)}")

        if name in ("and", "or"):
            need(1)
            return "(" + f" {name} ".join(args) + ")"
        if name == "not":
            need(1, 1)
            return f"(not {args[0]})"
        if name == "eq":
            need(2)
            return "(" + " or ".join(f"{args[0]} == {other}" for other in args[1:]) + ")"
        operators = {"ne": "!=", "lt": "<", "le": "<=", "gt": ">", "ge": ">="}
        if name in operators:
            need(2, 2)
            return f"({args[0]} {operators[name]} {args[1]})"
        if name == "len":
            need(1, 1)
            return f"({args[0]}|length)"
        if name == "index":
            need(1)
            return args[0] + "".join(f"[{key}]" for key in args[1:])
        if name == "printf":
            need(1)
        if f"go_{name}" in GO_FUNCTIONS:
            return f"go_{name}({', '.join(args)})"
        known = ("slice", "call")  # Go builtins sunoql does not translate
        why = "is not supported" if name in known else "is not a function sunoql knows"
        self._fail(action, f"{name} {why}{self._mixed_hint()}")

    # -- helpers ----------------------------------------------------------------------------------

    def _tokens(self, action: _Action) -> list[_Token]:
        tokens: list[_Token] = []
        pos, body = 0, action.body
        while pos < len(body):
            match = _TOKEN.match(body, pos)
            if match is None:
                self._fail(action, f"unexpected {body[pos]!r}{self._mixed_hint()}")
            kind = match.lastgroup or ""
            if kind != "space":
                tokens.append(_Token(kind, match.group(), match.start(), match.end()))
            pos = match.end()
        return tokens

    @staticmethod
    def _glued_field(tokens: list[_Token], i: int) -> bool:
        return i < len(tokens) and tokens[i].kind == "field" and tokens[i].start == tokens[i - 1].end

    def _top_level(self, action: _Action, name: str) -> str:
        if name in _JINJA_RESERVED or name.startswith("go_"):
            self._fail(action, f"the field name {name!r} is not supported at the top level")
        return name

    def _dot(self) -> str | None:
        return self.blocks[-1].dot if self.blocks else None

    def _scope(self) -> set[str]:
        return self.blocks[-1].variables if self.blocks else self.top_variables

    def _declared(self, name: str) -> bool:
        return name in self.top_variables or any(name in block.variables for block in self.blocks)

    def _mixed_hint(self) -> str:
        return " (Jinja {% %} and Go syntax mixed in one template?)" if self.mixed else ""

    def _fail(self, action: _Action, problem: str) -> NoReturn:
        raise GoTemplateError(action.line, _clip(action.source), problem)


def translate(text: str) -> str:
    """The Jinja2 template for a Go template, line for line; raises GoTemplateError."""
    return _Translator(text).run()


def _variable(name: str) -> str:
    return "go_" + name[1:]


def _subscript(value: str, name: str) -> str:
    # A subscript, not an attribute: `.Items` must reach a key named Items, never dict.items.
    return f"{value}[{name!r}]"


def _escape_text(text: str) -> str:
    # Go's literal text may hold what Jinja reads as a tag opener.
    return re.sub(r"\{(?=[%#{])|\{$", "{{ '{' }}", text)


def _pad_start(tag: str, newlines: int) -> str:
    return tag[:2] + "\n" * newlines + tag[2:] if newlines else tag


def _pad_end(tag: str, newlines: int) -> str:
    return tag[:-2] + "\n" * newlines + tag[-2:]


def _clip(source: str) -> str:
    source = source.replace("\n", " ")
    return source if len(source) <= 60 else source[:57] + "..."


# -- the Go functions without a Jinja operator ---------------------------------------------------------


def go_range(value: Any) -> list[tuple[Any, Any]]:
    """(key, value) pairs in Go's order: a list's indices, a map's sorted keys, 0..n-1 for an int."""
    if value is None or isinstance(value, jinja2.Undefined):
        return []
    if isinstance(value, Mapping):
        return sorted(value.items(), key=lambda item: str(item[0]))
    if isinstance(value, int) and not isinstance(value, bool):
        return [(i, i) for i in range(value)]
    return list(enumerate(value))


def _go_value(value: Any) -> str:
    """A value as Go's fmt prints it with %v."""
    if isinstance(value, bool):
        return "true" if value else "false"
    if value is None:
        return "<nil>"
    if isinstance(value, jinja2.Undefined):
        return "<no value>"
    if isinstance(value, float):
        if value.is_integer() and abs(value) < 1e21:
            return str(int(value))
        return repr(value)
    if isinstance(value, list | tuple):
        return "[" + " ".join(_go_value(item) for item in value) + "]"
    if isinstance(value, Mapping):
        items = sorted(value.items(), key=lambda item: str(item[0]))
        return "map[" + " ".join(f"{_go_value(k)}:{_go_value(v)}" for k, v in items) + "]"
    return str(value)


_VERB = re.compile(r"%([-+# 0]*)(\d+)?(?:\.(\d+))?([a-zA-Z%])")


def go_printf(template: Any, *args: Any) -> str:
    """Go's fmt.Sprintf for the verbs templates use: %v %s %d %f %e %g %q %t %x %X %o %b %c %%."""
    remaining = list(args)
    out: list[str] = []
    pos = 0
    text = str(template)
    for match in _VERB.finditer(text):
        out.append(text[pos : match.start()])
        pos = match.end()
        flags, width, precision, verb = match.groups()
        if verb == "%":
            out.append("%")
            continue
        if not remaining:
            out.append(f"%!{verb}(MISSING)")
            continue
        out.append(_format_one(remaining.pop(0), flags, width or "", precision, verb))
    out.append(text[pos:])
    if remaining:
        extra = ", ".join(f"{type(value).__name__}={_go_value(value)}" for value in remaining)
        out.append(f"%!(EXTRA {extra})")
    return "".join(out)


def _format_one(value: Any, flags: str, width: str, precision: str | None, verb: str) -> str:
    align = "<" if "-" in flags else ">" if verb in "vsqtc" and width else ""
    sign = "+" if "+" in flags else " " if " " in flags else ""
    zero = "0" if "0" in flags and "-" not in flags else ""
    dot = f".{precision}" if precision is not None else ""
    try:
        if verb in ("v", "s"):
            return format(_go_value(value), f"{align}{width}{dot}")
        if verb == "q":
            return format(
                '"' + _go_value(value).replace("\\", "\\\\").replace('"', '\\"') + '"', f"{align}{width}"
            )
        if verb == "t":
            return format(_go_value(value), f"{align}{width}")
        if verb == "c":
            return format(chr(int(value)), f"{align}{width}")
        number: Any = value
        if verb in ("d", "x", "X", "o", "b"):
            if isinstance(value, bool) or not isinstance(value, int):
                raise TypeError
            return format(number, f"{align}{sign}{'#' if '#' in flags else ''}{zero}{width}{verb}")
        if verb in ("f", "F", "e", "E", "g", "G"):
            if isinstance(value, bool) or not isinstance(value, int | float):
                raise TypeError
            spec_precision = dot or (".6" if verb in "fFeE" else "")
            spec = f"{align}{sign}{zero}{width}{spec_precision}{verb}"
            return (
                format(float(number), spec) if spec_precision or verb in "fFeE" else _go_value(float(number))
            )
    except (TypeError, ValueError, OverflowError):
        return _bad_verb(verb, value)  # Go prints the mismatch instead of failing
    return _bad_verb(verb, value)


def _bad_verb(verb: str, value: Any) -> str:
    return f"%!{verb}({type(value).__name__}={_go_value(value)})"


def go_print(*args: Any) -> str:
    """Go's fmt.Sprint: a space between two operands when neither is a string."""
    out: list[str] = []
    for i, value in enumerate(args):
        if i and not isinstance(value, str) and not isinstance(args[i - 1], str):
            out.append(" ")
        out.append(_go_value(value))
    return "".join(out)


def go_println(*args: Any) -> str:
    return " ".join(_go_value(value) for value in args) + "\n"


def go_html(*args: Any) -> str:
    """Go's html function (HTMLEscapeString of the printed arguments)."""
    text = html.escape(go_print(*args), quote=False)
    return text.replace('"', "&#34;").replace("'", "&#39;").replace("\0", "\ufffd")


def go_js(*args: Any) -> str:
    """Go's js function (JSEscapeString of the printed arguments)."""
    out: list[str] = []
    for char in go_print(*args):
        if char in "\\'\"":
            out.append("\\" + char)
        elif char in "<>&=" or ord(char) < 0x20:
            out.append(f"\\u{ord(char):04X}")
        else:
            out.append(char)
    return "".join(out)


def go_urlquery(*args: Any) -> str:
    """Go's urlquery function (QueryEscape of the printed arguments)."""
    return urllib.parse.quote_plus(go_print(*args))


GO_FUNCTIONS: dict[str, Callable[..., Any]] = {
    "go_range": go_range,
    "go_printf": go_printf,
    "go_print": go_print,
    "go_println": go_println,
    "go_html": go_html,
    "go_js": go_js,
    "go_urlquery": go_urlquery,
}
