"""The only tags and filters a letter template may use, and the bounds on rendering one.

Letter templates are edited by administrators and rendered in a sandbox: no {% load %},
{% include %}, {% url %} or {% static %}, nothing that reaches files, settings or other
records. A template is data someone typed, so rendering one is also bounded: its loops run at
most MAX_LOOP_ITERATIONS times in all, no value or letter grows past MAX_OUTPUT_CHARS, and
rendering stops after MAX_RENDER_SECONDS. The bounds are counted in a context variable, so
they hold in a worker thread as in the main one (signal.alarm works only in the main thread)."""

from __future__ import annotations

import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass
from functools import wraps

from django.conf import settings
from django.template import Library, Node, NodeList, defaultfilters, defaulttags
from django.utils.translation import gettext as _

MAX_LOOP_ITERATIONS = 5_000
MAX_OUTPUT_CHARS = 1_000_000
MAX_RENDER_SECONDS = 5.0

# The formats Django keeps under a name; any other argument of |date is a format of its own
# ("d.m.Y"). Django looks a name up in its locale modules and in settings, so a name outside
# this list could print what those hold.
DATE_FORMAT_NAMES = (
    "DATE_FORMAT",
    "DATETIME_FORMAT",
    "SHORT_DATE_FORMAT",
    "SHORT_DATETIME_FORMAT",
    "MONTH_DAY_FORMAT",
    "YEAR_MONTH_FORMAT",
    "TIME_FORMAT",
)
MAX_DATE_FORMAT_CHARS = 40
MAX_DECIMAL_PLACES = 20


class RenderRefused(Exception):
    """A template asked for more than a letter may: its message says what, for the editor."""


@dataclass
class Budget:
    """What one letter has spent so far."""

    deadline: float
    iterations: int = 0
    loop_output: int = 0


_budget: ContextVar[Budget | None] = ContextVar("letter_render_budget", default=None)


@contextmanager
def render_budget() -> Iterator[Budget]:
    """The bounds of one letter: tags and filters charge what they do to it."""
    budget = Budget(deadline=time.monotonic() + MAX_RENDER_SECONDS)
    token = _budget.set(budget)
    try:
        yield budget
    finally:
        _budget.reset(token)


def too_long_message() -> str:
    return _(
        "The letter would be longer than %(limit)s characters: check the loops and filters "
        "that repeat text."
    ) % {"limit": f"{MAX_OUTPUT_CHARS:,}".replace(",", " ")}


def charge(*, iterations: int = 0, output: int = 0) -> None:
    """Count work against the letter's bounds; past one, the letter is refused."""
    budget = _budget.get()
    if budget is None:
        raise RuntimeError("letter templates are rendered only by documents.sandbox.render_body")
    budget.iterations += iterations
    budget.loop_output += output
    if budget.iterations > MAX_LOOP_ITERATIONS:
        raise RenderRefused(
            _("The template's loops repeat more than %(limit)s times in one letter.")
            % {"limit": f"{MAX_LOOP_ITERATIONS:,}".replace(",", " ")}
        )
    if budget.loop_output > MAX_OUTPUT_CHARS:
        raise RenderRefused(too_long_message())
    if time.monotonic() > budget.deadline:
        raise RenderRefused(
            _("The letter took longer than %(seconds)s seconds to render and was stopped.")
            % {"seconds": f"{MAX_RENDER_SECONDS:g}"}
        )


register = Library()


class LoopBodyNode(Node):
    """One pass through the body of a {% for %}, charged to the letter's bounds."""

    child_nodelists = ("nodelist",)

    def __init__(self, nodelist: NodeList) -> None:
        self.nodelist = nodelist

    def render(self, context) -> str:
        charge(iterations=1)
        output = self.nodelist.render(context)
        charge(output=len(output))
        return output


@register.tag("for")
def do_for(parser, token):
    """Django's {% for %}, each pass counted."""
    node = defaulttags.do_for(parser, token)
    node.nodelist_loop = NodeList([LoopBodyNode(node.nodelist_loop)])
    return node


for name, compile_function in {
    "if": defaulttags.do_if,
    "with": defaulttags.do_with,
    "comment": defaulttags.comment,
}.items():
    register.tags[name] = compile_function


def check_date_format(argument) -> None:
    """A |date argument is a named format of DATE_FORMAT_NAMES or a short format string;
    one that names anything else (a setting such as SECRET_KEY, a module attribute such as
    __file__) is refused."""
    text = str(argument)
    if text in DATE_FORMAT_NAMES:
        return
    if "_" in text or hasattr(settings, text):
        raise RenderRefused(
            _(
                "The date format “%(format)s” names a setting or another value of the server, "
                "which a letter may not print. Write the format itself, such as “d.m.Y”, or "
                "use one of %(names)s."
            )
            % {"format": text, "names": ", ".join(DATE_FORMAT_NAMES)}
        )
    if len(text) > MAX_DATE_FORMAT_CHARS:
        raise RenderRefused(
            _("The date format “%(format)s” is longer than %(limit)s characters.")
            % {"format": text[:MAX_DATE_FORMAT_CHARS] + "…", "limit": MAX_DATE_FORMAT_CHARS}
        )


def check_decimal_places(argument) -> None:
    """|floatformat prints as many decimal places as asked: at most MAX_DECIMAL_PLACES."""
    digits = str(argument).rstrip("gu")
    try:
        places = abs(int(digits))
    except ValueError:
        return  # Django prints the number unchanged
    if places > MAX_DECIMAL_PLACES:
        raise RenderRefused(
            _("A number may be printed with at most %(limit)s decimal places, not %(places)s.")
            % {"limit": MAX_DECIMAL_PLACES, "places": places}
        )


def bounded_join(value, arg, autoescape=True):
    """Django's |join, refused before it builds a value longer than a letter may be."""
    try:
        items = [str(item) for item in value]
    except TypeError:
        return defaultfilters.join(value, arg, autoescape=autoescape)
    size = sum(len(item) for item in items) + max(len(items) - 1, 0) * len(str(arg))
    if size > MAX_OUTPUT_CHARS:
        raise RenderRefused(too_long_message())
    return defaultfilters.join(value, arg, autoescape=autoescape)


bounded_join.is_safe = True
bounded_join.needs_autoescape = True


def bounded(function: Callable, check_argument: Callable | None = None) -> Callable:
    """A filter charged to the letter's bounds, its argument checked, its result no longer
    than a letter may be. functools.wraps keeps Django's is_safe, needs_autoescape and
    expects_localtime flags and the signature Django checks arguments against."""

    @wraps(function)
    def bounded_filter(value, *args, **kwargs):
        charge()
        if check_argument is not None and args:
            check_argument(args[0])
        result = function(value, *args, **kwargs)
        if isinstance(result, str) and len(result) > MAX_OUTPUT_CHARS:
            raise RenderRefused(too_long_message())
        return result

    # compile-time check of the arguments written in the template (documents.sandbox)
    bounded_filter.check_argument = check_argument
    return bounded_filter


for name, filter_function, check in [
    ("date", defaultfilters.date, check_date_format),
    ("default", defaultfilters.default, None),
    ("default_if_none", defaultfilters.default_if_none, None),
    ("upper", defaultfilters.upper, None),
    ("lower", defaultfilters.lower, None),
    ("capfirst", defaultfilters.capfirst, None),
    ("title", defaultfilters.title, None),
    ("linebreaks", defaultfilters.linebreaks_filter, None),
    ("linebreaksbr", defaultfilters.linebreaksbr, None),
    ("length", defaultfilters.length, None),
    ("join", bounded_join, None),
    ("floatformat", defaultfilters.floatformat, check_decimal_places),
    ("yesno", defaultfilters.yesno, None),
]:
    register.filters[name] = bounded(filter_function, check)


def lowerfirst(value):
    """A title or position mid-sentence: «Юрист» becomes «юрист»; an acronym such as
    «НКО» stays."""
    text = str(value) if value else ""
    if len(text) > 1 and text[0].isupper() and not text[1].isupper():
        return text[0].lower() + text[1:]
    return value


lowerfirst.is_safe = True
register.filters["lowerfirst"] = bounded(lowerfirst)
