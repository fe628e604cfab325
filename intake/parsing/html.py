"""HTML bodies to readable text with inscriptis, with and without the quoted reply.

Webmail marks quoted replies structurally (Gmail's ``gmail_quote``, ``<blockquote>``
from Onet/WP/Thunderbird, Outlook's reply header div); removing those elements
before rendering is more reliable than guessing from the rendered text.
"""

from __future__ import annotations

import html as html_lib
import re

from inscriptis import Inscriptis
from inscriptis.css_profiles import CSS_PROFILES
from inscriptis.model.config import ParserConfig
from lxml import etree
from lxml.html import HtmlElement, HTMLParser, document_fromstring

_CONFIG = ParserConfig(css=CSS_PROFILES["strict"], display_links=False, display_images=False)
_XML_DECL = re.compile(r"^\s*<\?xml[^>]*\?>", re.IGNORECASE)
# Outlook's "downlevel-revealed" conditionals wrap list numbers; keep their content, drop the markers.
_DOWNLEVEL = re.compile(r"<!\[(?:if [^\]<>]*|endif)\]>", re.IGNORECASE)  # "<>" excluded: linear on "<![if " runs
_QUOTE_CLASSES = ("gmail_quote", "moz-cite-prefix", "yahoo_quoted", "protonmail_quote", "zmail_extra")
_QUOTE_IDS = ("divRplyFwdMsg", "appendonsend", "mail-editor-reference-message-container")
_ATTRIBUTION = re.compile(
    r"(napisał\(a\)|napisał|napisała|pisze|wrote|odpowiedział\(a\))\s*:\s*$", re.IGNORECASE
)
_DROP_TAGS = ("style", "script", "head", "title", "template", "noscript", "xml")
# "[^<>]*" not "[^>]*": a run of "<" without ">" must not be rescanned from each one (quadratic).
_TAG = re.compile(r"<[^<>]*>")
_BLOCK_TAG = re.compile(r"<(?:/?(?:p|div|br|li|tr|h\d|blockquote|table)\b)[^<>]*>", re.IGNORECASE)


def _tree(html: str) -> HtmlElement | None:
    html = _DOWNLEVEL.sub("", _XML_DECL.sub("", html, count=1)).strip()
    if not html:
        return None
    parser = HTMLParser()
    try:
        tree = document_fromstring(html, parser=parser)
        # Past 256 levels libxml2 silently drops the rest of the document: read it without tags instead.
        if any(error.type_name == "ERR_RESOURCE_LIMIT" for error in parser.error_log):
            return None
        return tree
    except (etree.ParserError, ValueError):
        try:
            return document_fromstring("<pre>" + html.replace("<", "&lt;") + "</pre>")
        except (etree.ParserError, ValueError):
            return None


def _clean(tree: HtmlElement) -> None:
    """Drop non-content elements and give Word paragraphs their on-screen spacing.

    Comments (Outlook's conditional blocks) need no work: inscriptis skips them but keeps their tails.
    """
    for element in list(tree.iter(*_DROP_TAGS)):
        if element.getparent() is not None:
            element.drop_tree()
    for element in tree.iter("p"):
        if element.get("class", "").startswith("Mso"):
            element.tag = "div"  # Word styles MsoNormal with margin:0; a plain <p> would add blank lines
    # A block holding only &nbsp; is an empty line on screen; inscriptis would swallow it.
    for element in list(tree.iter("div", "p")):
        if (
            len(element) <= 1
            and not element.text_content().strip(" \t\r\n\u00a0")
            and element.find(".//img") is None
            and element.find("br") is None
        ):
            element.clear()
            element.append(etree.Element("br"))


def _is_quote(element: HtmlElement) -> bool:
    classes = element.get("class", "")
    if any(name in classes for name in _QUOTE_CLASSES):
        return True
    if element.get("id", "") in _QUOTE_IDS:
        return True
    if element.tag != "blockquote":
        return False
    if element.get("type", "").lower() == "cite" or "quote" in classes.lower():
        return True
    # An unmarked blockquote counts when introduced by "... napisał(a):" or when nothing follows it.
    previous = element.getprevious()
    before = (previous.text_content() if previous is not None else element.getparent().text) or ""
    if previous is not None and previous.tail:
        before += previous.tail
    if _ATTRIBUTION.search(before.strip()):
        return True
    return not _text_after(element)


def _text_after(element: HtmlElement) -> bool:
    """Whether any visible text follows ``element`` in the document."""
    node = element
    while node is not None:
        if node.tail and node.tail.strip():
            return True
        for sibling in node.itersiblings():
            if sibling.tag is not etree.Comment and sibling.text_content().strip():
                return True
        node = node.getparent()
    return False


def _render(tree: HtmlElement) -> str:
    text: str = Inscriptis(tree, _CONFIG).get_text()
    return text


def _without_tags(html: str) -> str:
    """Last resort for markup the HTML parser gives up on: tags removed, entities decoded, blocks on lines."""
    return html_lib.unescape(_TAG.sub("", _BLOCK_TAG.sub("\n", html)))


def html_to_text(html: str, defects: list[str] | None = None) -> tuple[str, str]:
    """(whole text, text without quoted reply) of an HTML body; the second equals the first if no quote.

    Markup nested deeper than the parser allows (libxml2 stops at 256 levels: 500,000 nested <div>s)
    renders as nothing; the text is then read with the tags stripped and a defect says so.
    """
    tree = _tree(html)
    whole = ""
    if tree is not None:
        _clean(tree)
        whole = _render(tree)
    if not whole.strip():
        stripped = _without_tags(html).strip()
        if stripped:
            if defects is not None:
                defects.append("HTML body could not be parsed (nested too deep?); read with its tags removed")
            return stripped, stripped
        return "", ""
    assert tree is not None
    quotes = [element for element in tree.iter("blockquote", "div", "span") if _is_quote(element)]
    if not quotes:
        return whole, whole
    for element in quotes:
        if element.getparent() is not None:
            element.drop_tree()
    return whole, _render(tree)
