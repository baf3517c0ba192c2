"""The user guide, open to everyone: it holds no personal data, and the sign-in page links it."""

from django.http import FileResponse, Http404
from django.shortcuts import redirect, render
from django.utils.translation import get_language
from django.views.decorators.http import require_GET

from quipu.help.guide import IMAGE_DIR, IMAGE_NAME, INDEX, guide_page, guide_titles


@require_GET
def index(request):
    return redirect("help:page", INDEX)


@require_GET
def page(request, slug: str):
    language = get_language() or "es"
    shown = guide_page(slug, language)
    if shown is None:
        raise Http404
    context = {"page": shown, "contents": guide_titles(language)}
    return render(request, "help/page.html", context)


@require_GET
def image(request, name: str):
    path = IMAGE_DIR / name
    if not IMAGE_NAME.match(name) or not path.is_file():
        raise Http404
    response = FileResponse(path.open("rb"))
    response["Cache-Control"] = "public, max-age=3600"
    return response
