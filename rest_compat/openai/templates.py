"""The chat reply templates (Jinja2, or the original's Go syntax translated): found, compiled and
trial-rendered at start-up, rendered per reply."""

from __future__ import annotations

import dataclasses
import logging
import traceback
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import jinja2
import yaml
from jinja2.sandbox import SandboxedEnvironment

from rest_compat.openai.context import sample_contexts
from rest_compat.openai.go_templates import GO_FUNCTIONS, SUPPORTED, GoTemplateError, looks_like_go, translate
from suno.errors import SettingsError

log = logging.getLogger("sunoql.chat")

TEMPLATE_KEYS = ("chat_stream_submit", "chat_stream_tick", "chat_resp")
TEMPLATE_SUFFIXES = (".j2", ".jinja", ".jinja2", ".tmpl")
YAML_SUFFIXES = (".yaml", ".yml")
# The original's suno.yaml named its keys with this prefix.
ORIGINAL_KEY_PREFIX = "suno_"
BUNDLED_DIR = Path(__file__).resolve().parents[2] / "templates"
DEFAULT_DIR_SETTING = "./templates"


@dataclass(frozen=True, slots=True)
class TemplateSource:
    key: str
    text: str
    path: str
    # File line of the template's first line (a template inside suno.yaml starts mid-file).
    first_line: int = 1
    # Written in the original's Go template syntax; `text` is then its Jinja translation.
    go: bool = False

    def where(self, template_line: int | None) -> str:
        if template_line is None:
            return f"{self.path} ({self.key})"
        return f"{self.path} line {self.first_line + template_line - 1} ({self.key})"


def as_jinja(source: TemplateSource) -> TemplateSource:
    """The source itself, or, written in Go template syntax, its Jinja translation; raises SettingsError."""
    if source.go or not looks_like_go(source.text):
        return source
    try:
        text = translate(source.text)
    except GoTemplateError as error:
        raise SettingsError(
            f"CHAT_TEMPLATE_DIR: template {source.where(error.line)}: Go template {error.construct} "
            f"cannot be translated: {error.problem}. Supported: {SUPPORTED}"
        ) from None
    return dataclasses.replace(source, text=text, go=True)


class _SourcesLoader(jinja2.BaseLoader):
    def __init__(self, sources: Mapping[str, TemplateSource]) -> None:
        self.sources = sources

    def get_source(self, environment: jinja2.Environment, template: str) -> tuple[str, str, Any]:
        source = self.sources.get(template)
        if source is None:
            raise jinja2.TemplateNotFound(template)
        return source.text, source.path, lambda: True


class ChatTemplates:
    """The three compiled templates; `render` never raises (a failing template is logged and replaced)."""

    def __init__(self, sources: Mapping[str, TemplateSource]) -> None:
        self.sources = {key: as_jinja(source) for key, source in sources.items()}
        self.environment = SandboxedEnvironment(
            loader=_SourcesLoader(self.sources),
            # Markdown out, not HTML: escaping would garble lyrics and URLs (the original's html/template did).
            autoescape=False,
            trim_blocks=True,
            lstrip_blocks=True,
            keep_trailing_newline=True,
        )
        # The helpers a translated Go template calls (go_printf, go_range, …).
        self.environment.globals.update(GO_FUNCTIONS)
        self.templates: dict[str, jinja2.Template] = {}
        for key in TEMPLATE_KEYS:
            try:
                self.templates[key] = self.environment.get_template(key)
            except jinja2.TemplateSyntaxError as error:
                raise SettingsError(
                    f"CHAT_TEMPLATE_DIR: template {self.sources[key].where(error.lineno)} "
                    f"does not compile: {error.message}{_go_note(self.sources[key])}"
                ) from None

    def check(self) -> None:
        """Trial-render every template with sample tasks, so a broken one fails start-up, not a request."""
        for context in sample_contexts():
            for key, template in self.templates.items():
                try:
                    template.render(context)
                except Exception as error:
                    raise SettingsError(
                        f"CHAT_TEMPLATE_DIR: template {self._where(key, error)} fails to render "
                        f"a {context['status']} task: {type(error).__name__}: {error}"
                    ) from None

    def render(self, key: str, context: Mapping[str, Any]) -> str:
        try:
            return self.templates[key].render(context)
        except Exception as error:
            log.warning(
                "chat template %s failed: %s: %s", self._where(key, error), type(error).__name__, error
            )
            return _fallback(key, context)

    def _where(self, key: str, error: BaseException) -> str:
        source = self.sources[key]
        line = None
        # Jinja rewrites tracebacks so the template's own lines appear under its file name.
        for frame in traceback.extract_tb(error.__traceback__):
            if frame.filename == source.path:
                line = frame.lineno
        return source.where(line)


def load_chat_templates(template_dir: str) -> ChatTemplates:
    """The templates of CHAT_TEMPLATE_DIR, the bundled defaults for any key it lacks; raises SettingsError."""
    sources = _read_dir(BUNDLED_DIR)
    directory = Path(template_dir)
    if not directory.is_dir():
        if template_dir.rstrip("/") != DEFAULT_DIR_SETTING:
            raise SettingsError(f"CHAT_TEMPLATE_DIR: {template_dir!r} is not a directory")
        # The default is relative to the working directory; started elsewhere, the bundled copy serves.
    elif directory.resolve() != BUNDLED_DIR:
        sources.update(_read_dir(directory))
    missing = [key for key in TEMPLATE_KEYS if key not in sources]
    if missing:
        raise SettingsError(f"CHAT_TEMPLATE_DIR: no template for {', '.join(missing)}")
    templates = ChatTemplates(sources)
    templates.check()
    return templates


def _read_dir(directory: Path) -> dict[str, TemplateSource]:
    """Keys from *.yaml files (in name order, later wins), then from <key>.j2 files, which win over YAML."""
    found: dict[str, TemplateSource] = {}
    for path in sorted(directory.iterdir()):
        if path.suffix in YAML_SUFFIXES and path.is_file():
            found.update(_read_yaml(path))
    for key in TEMPLATE_KEYS:
        for suffix in TEMPLATE_SUFFIXES:
            path = directory / f"{key}{suffix}"
            if path.is_file():
                if key in found:
                    log.info("chat template %s: %s wins over %s", key, path, found[key].path)
                found[key] = TemplateSource(key, _read_text(path), str(path))
                break
    return found


def _read_yaml(path: Path) -> dict[str, TemplateSource]:
    text = _read_text(path)
    try:
        document = yaml.compose(text, Loader=yaml.SafeLoader)
    except yaml.MarkedYAMLError as error:
        mark = error.problem_mark or error.context_mark
        line = f" line {mark.line + 1}" if mark is not None else ""
        raise SettingsError(f"CHAT_TEMPLATE_DIR: {path}{line} is not valid YAML: {error.problem}") from None
    if document is None:
        return {}
    if not isinstance(document, yaml.MappingNode):
        raise SettingsError(f"CHAT_TEMPLATE_DIR: {path} must map template names to templates")
    found: dict[str, TemplateSource] = {}
    for key_node, value_node in document.value:
        key = str(key_node.value).removeprefix(ORIGINAL_KEY_PREFIX)
        if key not in TEMPLATE_KEYS:
            continue
        if not isinstance(value_node, yaml.ScalarNode):
            raise SettingsError(
                f"CHAT_TEMPLATE_DIR: {path} line {value_node.start_mark.line + 1}: {key_node.value} must be text"
            )
        value = str(value_node.value)
        if not value.strip():
            continue  # the original skipped blank templates too
        # A block scalar (| or >) starts on the line after its indicator.
        first_line = value_node.start_mark.line + (2 if value_node.style in ("|", ">") else 1)
        found[key] = TemplateSource(key, value, str(path), first_line)
    return found


def _read_text(path: Path) -> str:
    try:
        return path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as error:
        raise SettingsError(f"CHAT_TEMPLATE_DIR: cannot read {path}: {error}") from None


def _go_note(source: TemplateSource) -> str:
    return " (in its translation from Go template syntax)" if source.go else ""


def _fallback(key: str, context: Mapping[str, Any]) -> str:
    if key != "chat_resp":
        return ""
    lines = [f"Task {context.get('task_id')}: {context.get('status')}"]
    if context.get("fail_reason"):
        lines.append(f"Reason: {context['fail_reason']}")
    lines += [
        f"- {clip.get('title') or clip.get('id')}: {clip.get('audio_url')}"
        for clip in context.get("clips", [])
    ]
    return "\n".join(lines) + "\n"
