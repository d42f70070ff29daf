"""The only tags and filters a letter template may use. Letter templates are edited by
administrators and rendered in a sandbox: no {% load %}, {% include %}, {% url %} or
{% static %}, nothing that reaches files, settings or other records."""

from django.template import Library, defaultfilters, defaulttags

register = Library()

for name, compile_function in {
    "if": defaulttags.do_if,
    "for": defaulttags.do_for,
    "with": defaulttags.do_with,
    "comment": defaulttags.comment,
}.items():
    register.tags[name] = compile_function

for name, filter_function in {
    "date": defaultfilters.date,
    "default": defaultfilters.default,
    "default_if_none": defaultfilters.default_if_none,
    "upper": defaultfilters.upper,
    "lower": defaultfilters.lower,
    "capfirst": defaultfilters.capfirst,
    "title": defaultfilters.title,
    "linebreaks": defaultfilters.linebreaks_filter,
    "linebreaksbr": defaultfilters.linebreaksbr,
    "length": defaultfilters.length,
    "join": defaultfilters.join,
    "floatformat": defaultfilters.floatformat,
    "yesno": defaultfilters.yesno,
}.items():
    # Assigned as they are: Django's own decorators already set is_safe, needs_autoescape
    # and expects_localtime on these functions.
    register.filters[name] = filter_function


def lower_first(text: str) -> str:
    """A title or position mid-sentence: «Юрист» becomes «юрист»; an acronym such as
    «НКО» stays."""
    if len(text) > 1 and text[0].isupper() and not text[1].isupper():
        return text[0].lower() + text[1:]
    return text


@register.filter(is_safe=True)
def lowerfirst(value):
    return lower_first(str(value)) if value else value
