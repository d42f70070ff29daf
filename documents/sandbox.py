"""The sandbox a letter template renders in: an engine with only the tags and filters of
documents.letter_tags, the checks a template passes when it is compiled, and the one function
that renders a letter's body within the bounds letter_tags counts."""

from __future__ import annotations

from django.conf import settings
from django.template import Context, Engine, TemplateSyntaxError
from django.template.base import FilterExpression, VariableNode
from django.template.defaulttags import ForNode, IfNode, WithNode
from django.utils.translation import gettext as _

from documents.letter_tags import MAX_OUTPUT_CHARS, RenderRefused, render_budget, too_long_message


class SandboxEngine(Engine):
    """An engine with no default tags or filters: only documents.letter_tags."""

    default_builtins: list[str] = []


SANDBOX = SandboxEngine(
    dirs=[],
    app_dirs=False,
    loaders=[],
    libraries={},
    builtins=["documents.letter_tags"],
    autoescape=True,
    string_if_invalid="",
    debug=False,
)


class LetterTemplateError(Exception):
    """A letter template that cannot be compiled or rendered; the message is for its editor."""


def compile_body(body: str):
    """The template compiled in the sandbox, its filter arguments checked: an argument that
    could read settings is refused here, whether or not a letter would reach it."""
    try:
        template = SANDBOX.from_string(body)
    except TemplateSyntaxError as exc:
        raise LetterTemplateError(
            _(
                "The template cannot be used: %(error)s. Only merge fields and the tags if, for, "
                "with and comment are allowed."
            )
            % {"error": exc}
        ) from exc
    except RecursionError as exc:
        raise LetterTemplateError(
            _("The template cannot be used: its tags are nested too deeply.")
        ) from exc
    try:
        for expression in filter_expressions(template.nodelist):
            check_filter_arguments(expression)
    except RenderRefused as exc:
        raise LetterTemplateError(str(exc)) from exc
    return template


def filter_expressions(nodelist):
    """Every value expression of the template ({{ }}, {% if %}, {% for %}, {% with %})."""
    for node in nodelist:
        if isinstance(node, VariableNode):
            yield node.filter_expression
        elif isinstance(node, ForNode):
            yield node.sequence
        elif isinstance(node, WithNode):
            yield from node.extra_context.values()
        elif isinstance(node, IfNode):
            for condition, _nodelist in node.conditions_nodelists:
                yield from _condition_expressions(condition)
        for attribute in getattr(node, "child_nodelists", ()):
            yield from filter_expressions(getattr(node, attribute, None) or [])


def _condition_expressions(condition):
    """The operands of an {% if %} condition: a literal holds one, an operator two."""
    if condition is None:
        return
    if isinstance(getattr(condition, "value", None), FilterExpression):
        yield condition.value
    for operand in (getattr(condition, "first", None), getattr(condition, "second", None)):
        yield from _condition_expressions(operand)


def check_filter_arguments(expression: FilterExpression) -> None:
    """A filter whose argument is checked (documents.letter_tags) takes it written in
    quotes, and it must pass the check."""
    for function, arguments in expression.filters:
        check = getattr(function, "check_argument", None)
        if check is None:
            continue
        for is_variable, argument in arguments:
            if is_variable:
                raise RenderRefused(
                    _(
                        "The argument of |%(filter)s must be written in quotes, not taken "
                        "from %(field)s."
                    )
                    % {"filter": function.__name__, "field": argument}
                )
            check(argument)


def render_body(body: str, context: dict) -> str:
    """The letter's body from an administrator-edited template, in the sandbox and within
    the bounds of documents.letter_tags. A letter that would print the secret key is refused
    whatever path led there."""
    template = compile_body(body)
    try:
        with render_budget():
            html = template.render(Context(context, autoescape=True))
    except RenderRefused as exc:
        raise LetterTemplateError(str(exc)) from exc
    except Exception as exc:  # noqa: BLE001 - any failure is the template's; say so clearly
        raise LetterTemplateError(
            _("The template failed to render: %(error)s") % {"error": type(exc).__name__}
        ) from exc
    if len(html) > MAX_OUTPUT_CHARS:
        raise LetterTemplateError(too_long_message())
    secrets = [settings.SECRET_KEY, *getattr(settings, "SECRET_KEY_FALLBACKS", [])]
    if any(secret and str(secret) in html for secret in secrets):
        raise LetterTemplateError(_("The letter would print the server's secret key."))
    return html


def referenced_fields(body: str) -> list[tuple[str, bool]]:
    """(merge field, has a default) for every {{ field }} the template prints."""
    template = compile_body(body)
    found: dict[str, bool] = {}

    def visit(nodelist) -> None:
        for node in nodelist:
            if isinstance(node, VariableNode):
                expression: FilterExpression = node.filter_expression
                var = getattr(expression.var, "var", None)
                if isinstance(var, str):
                    has_default = any(
                        f[0].__name__ in ("default", "default_if_none") for f in expression.filters
                    )
                    found[var] = found.get(var, False) or has_default
            if isinstance(node, IfNode):
                # Printing inside {% if field %} is conditional: treat as defaulted.
                for _condition, inner in node.conditions_nodelists:
                    visit_conditional(inner)
                continue
            for attribute in getattr(node, "child_nodelists", ()):
                visit(getattr(node, attribute, None) or [])

    def visit_conditional(nodelist) -> None:
        before = set(found)
        visit(nodelist)
        for key in set(found) - before:
            found[key] = True

    visit(template.template.nodelist if hasattr(template, "template") else template.nodelist)
    return sorted(found.items())
