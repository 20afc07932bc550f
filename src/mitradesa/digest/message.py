"""One digest as an e-mail: a plain-text part and a simple HTML part, in the user's
language, with a link to each agreement and to where the choice is changed."""

from __future__ import annotations

from email.message import EmailMessage
from email.utils import formataddr, make_msgid
from html import escape

from mitradesa.digest.content import KIND_HEADINGS, Digest
from mitradesa.formatting import long_date
from mitradesa.web.i18n import translations
from mitradesa.web.templating import N_

FREQUENCY_WORDS = {"daily": N_("Your daily digest"), "weekly": N_("Your weekly digest")}


def compose(digest: Digest, sender: str, public_url: str) -> EmailMessage:
    t = translations(digest.locale)
    tr = t.gettext
    user = digest.user
    base = public_url.rstrip("/")
    count = len(digest.items)
    subject = t.ngettext("mitradesa: %(num)s partnership item needs attention",
                  "mitradesa: %(num)s partnership items need attention", count) % {"num": count}
    greeting = tr(N_("Hello %(name)s,")) % {"name": user.full_name or user.username}
    intro = tr(N_("%(what)s of %(day)s, among the agreements you may see:")) % {
        "what": tr(FREQUENCY_WORDS.get(user.digest_frequency, FREQUENCY_WORDS["daily"])),
        "day": long_date(digest.today, digest.locale)}
    footer = tr(N_("Change or stop this digest on your account page: %(link)s")) % {
        "link": f"{base}/akun#ringkasan"}

    text = [greeting, "", intro]
    html = [f"<p>{escape(greeting)}</p>", f"<p>{escape(intro)}</p>"]
    for kind, items in digest.by_kind():
        heading = tr(KIND_HEADINGS[kind])
        text += ["", heading]
        html.append(f"<h2 style=\"font-size:1.1em\">{escape(heading)} ({len(items)})</h2><ul>")
        for item in items:
            link = f"{base}/kerja-sama/{item.agreement_id}"
            text += [f"- {item.title}: {item.detail}", f"  {link}"]
            html.append(f"<li><a href=\"{escape(link)}\">{escape(item.title)}</a>: "
                        f"{escape(item.detail)}</li>")
        html.append("</ul>")
    text += ["", footer]
    html.append(f"<p style=\"color:#555\">{escape(footer)}</p>")

    message = EmailMessage()
    message["Subject"] = subject
    message["From"] = sender
    message["To"] = formataddr((user.full_name, user.email))
    message["Message-ID"] = make_msgid(domain="mitradesa")
    message["Content-Language"] = digest.locale
    message.set_content("\n".join(text) + "\n")
    message.add_alternative(
        f"<!doctype html><html lang=\"{digest.locale}\"><body>{''.join(html)}</body></html>",
        subtype="html")
    return message
