from django import template
from django.urls import reverse

from quipu.help.guide import INDEX
from quipu.help.topics import help_topic_for

register = template.Library()


@register.simple_tag(takes_context=True)
def help_url(context) -> str:
    """The address of the guide page for the page being rendered."""
    request = context.get("request")
    if request is None:
        return reverse("help:page", args=[INDEX])
    match = getattr(request, "resolver_match", None)
    topic = help_topic_for(
        view_name=match.view_name if match else None, user=getattr(request, "user", None)
    )
    return reverse("help:page", args=[topic or INDEX])
