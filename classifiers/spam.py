"""Scam and spam that no server flagged: kinds of evidence weighed together, never one phrase.

A resident may write about money, a link or an urgent matter; a scam does several of these things at
once: it lures (a prize, a share, earnings), asks for money or data, hurries or threatens, points to a
link or an odd attachment, and addresses nobody in particular. Each *kind* of evidence counts once
(``KINDS``); the caller decides how many kinds make a machine-sent message. Patterns match folded
text (lower case, no diacritics), in Polish and English, the languages of such mail here.
"""

from __future__ import annotations

import re

from classifiers.record import ParsedMail

# kind -> pattern over the folded subject and new text
KINDS: dict[str, re.Pattern[str]] = {
    "money": re.compile(
        r"(?:usd|us\$|\$|eur|€|gbp|£|pln|zl)\s?\d[\d ,.]*\d"
        r"|\d(?:[\d ,.]*\d)?\s?(?:usd|eur|euro|gbp|pln|zl|zlotych|dolar\w*|dollars?|euros?|pounds?)\b"
        r"|\bmillion\b|\bmilion\w*|\b\d{1,3}\s?%\s+(?:share|udzial|prowizj|zysk|rabat)"
    ),
    "lure": re.compile(
        r"\blotter\w*|\bloteri\w*|\bwylosowan\w*|\bwygral\w*|\bwygran\w*|\bwinner\b|\bprize\b|\bnagrod\w*"
        r"|\binheritance\b|\bspadk\w*|\bnext of kin\b|\bbeneficiar\w*|\bbarrister\b|\bdeceased\b|\bzmarl\w*"
        r"|\bzarabia\w*|\bzarobi\w*|\bearn\w*|\binvest\w*|\binwest\w*|\bbitcoin\w*|\bcrypto\w*|\bkryptowalut\w*"
        r"|\bforex\b|\bpasywn\w* dochod|\bgratulacj\w*|\bcongratulation\w*|\bza darmo\b|\bfree\b"
        r"|\bpozyczk\w*|\bchwilowk\w*|\bloans?\b|\bbon\w* (?:o wartosci|na zakupy)|\bvoucher\w*|\bgift ?cards?\b"
        r"|\bbezzwrotn\w*|\bprac\w* (?:zdaln\w*|przez internet|w domu)|\bwork from home\b|\bbez doswiadczeni\w*"
        r"|\bzostal\w* wybran\w*|\bhave been selected\b|\bzero upfront\b|\bzdeponowa\w*|\bdeposited\b|\bcharity\b"
        r"|\b(?:otrzyma\w*|odebra\w*|wyplac\w*)\s+(?:\w+\s+)?(?:srodk|pieniadz|zwrot|wyplat|nadplat)\w*(?:\W+\w+){0,4}?\W+"
        r"(?:klikn|link|podaj|wpisz|wpisac|zaloguj|potwierdz)\w*"
        r"|\bconsignment\b|\bwidower\b|\bpeace ?(?:keeping|mission)\b|\bwdowcem\b|\bna misji (?:pokojow|wojskow)\w*"
        r"|\bprzekaza\w*\s+(?:\w+\s+)?(?:fundusz|pieniadz|srodk|kwot|sum)\w*\s+(?:do ciebie|tobie|panu|pani|panstwu)"
    ),
    "pay_or_data": re.compile(
        r"\boplac\w*|\bdoplat\w*|\bzaplat\w*|\bnaleznos\w*|\bzaleglos\w*|\bwindykac\w*|\boverdue\b|\bpayment\b"
        r"|\bfaktur\w*\s+(?:\w+\s+){0,3}?(?:do zaplaty|zaleg|nieoplac|przeterminow)|\binvoice\b|\bclo\b|\bcla\b"
        r"|\bnumer\w* (?:konta|karty)|\bdan\w* (?:osobow|logowania|karty)|\bpotwierdz\w* dane|\bpassword\b|\bhasl\w*"
        r"|\bbank details\b|\baccount number\b|\bfull name\b|\bprocessing fee\b|\bfee\b"
        r"|\bzaloguj\w*|\blog ?in\b|\bverify\b|\bzweryfikuj\w*"
        r"|\boplat\w* (?:manipulacyjn|administracyjn|przelewow|rejestracyjn)\w*|\bskan\w* (?:dowodu|paszportu)"
        r"|\bzmian\w* (?:numeru )?(?:rachunku|konta) bankow\w*|\bnow\w* (?:numer\w* )?(?:rachun\w*|kont\w*) bankow\w*"
    ),
    "hurry": re.compile(
        r"\bpiln\w*|\bnatychmiast\w*|\bw ciagu \d+|\bw terminie \d+ (?:dni|godzin)|\bw przeciwnym (?:razie|wypadku)"
        r"|\bzablokowan\w*|\bzawieszon\w*|\bostatni\w* (?:szans|ostrzez|wezwani)|\btylko dzis\b|\bjuz dzis\b"
        r"|\bimmediately\b|\burgent\w*|\bwithin \d+|\bsuspend\w*|\bblocked\b|\bact now\b|\btoday only\b"
        r"|\bdo konca dnia\b|\bw ciagu \d+ (?:godzin|minut)|\bliczba miejsc (?:jest )?ograniczon\w*"
        r"|\bostatnie (?:wolne )?miejsc"
        r"|\blimited (?:offer|time|places)|\bjeszcze dzis\b"
    ),
    # a threat, a secret or a side channel: extortion, "CEO fraud", contact moved off the mailbox
    "pressure": re.compile(
        r"\bnagral\w*|\bnagrani\w*|\bzhakowa\w*|\bhacked\b|\brecorded you\b|\bkamer\w* (?:internetow|w laptop)"
        r"|\bportfel\w* (?:bitcoin|kryptowalut)|\bwallet\b|\bmiedzy nami\b|\bbetween us\b|\bpoufn\w*|\bconfidential\w*"
        r"|\bodpowiedz\w*\s+(?:mi\s+)?(?:szybko|pilnie|niezwlocznie)|\breply (?:me )?(?:urgently|quickly|asap)\b"
        r"|\bdyskrec\w*|\bwhats ?app\b|\btelegram\b|\bviber\b|\bprywatn\w* (?:adres|mail|e-mail)|\bprivate e-?mail\b"
        r"|\bczy (?:jest )?(?:pan|pani) (?:teraz )?dostepn\w*|\bare you available\b"
        r"|\bdomen\w* (?:wygas|zostanie usunie)|\bdomain (?:expir|renewal|will be)"
        r"|\bnie kontaktowa\w* sie (?:\w+\s+){0,3}?telefoniczn\w*"
        r"|\bnaruszeni\w* (?:praw autorskich|standard\w* spolecznosci)"
        r"|\btrwale (?:wylaczon|usunie|zablokowan)\w*"
        r"|\bgrzywn\w*|\bpostepowani\w* (?:egzekucyjn|windykacyjn|karn)\w*|\bkomornik\w*|\bin confidence\b"
        r"|\bnakaz\w* (?:zatrzymania|aresztowania|doprowadzenia)|\barrest warrant\b"
        # a mailbox said to be full: "osiągnęła 98% limitu, kliknij, aby zwiększyć limit"
        r"|\b(?:skrzynk\w*|mailbox|quota)\s+(?:\w+\s+){0,4}?(?:pelna|full|limit\w*|\d+\s?%)|\bzwieksz\w* limit\w*"
    ),
    "link": re.compile(r"https?://|\bwww\.|\bklikn\w*|\bclick\w*|\bponizszy link|\blink\w* ponizej"),
    "nobody": re.compile(
        r"^\W*(?:szanown\w+|drog\w+)\s+(?:klienc\w*|uzytkownik\w*|odbiorc\w*|partner\w*|przyjacie\w*)"
        r"|^\W*dear (?:customer|user|friend|sir|beneficiary|account holder|beloved)|^\W*hello,? (?:dear|friend)"
        r"|^\W*(?:moj\w* |my )?(?:drog\w+ |dear )?(?:ukochan\w*|umilowan\w*|beloved)\b"
        r"|\byour (?:site|content|blog)\b"
        r"|^\W*(?:szanown\w+|drog\w+)\s+(?:zwyciezc|laureac|laureat)\w*"
        r"|\btwoj\w* (?:adres|konto|skrzynk|paczk|przesylk|stron)"
        r"|\byour (?:account|mailbox|parcel|website|e-?mail address)"
        r"|\bstron\w* (?:internetow\w* )?(?:panstwa|waszego|waszej)|\b(?:panstwa|wasza|wasze\w*) stron\w*"
        # a mass mailing's way out: "to stop receiving these emails reply REMOVE", "proszę odpisać STOP"
        r"|\bto stop receiving\b|\breply (?:remove|stop)\b|\bodpisa\w* stop\b",
        re.M,
    ),
    "selling": re.compile(
        r"\boferuj\w*|\bofert\w*|\bcennik\w*|\bprice list\b|\bpromocj\w*|\brabat\w*|\bdiscount\b"
        r"|\batrakcyjn\w* cen\w*|\bbest price\b|\bour (?:services|team|company)\b"
        r"|\bnasz\w* realizacj\w*|\bportfolio\b|\bminut\w* na rozmow\w*|\bwybierz\w* (?:dogodny )?termin\w*"
        r"|\bbezplatn\w* (?:audyt|raport|analiz|wycen|konsultacj|makiet|prezentacj)\w*|\bfree (?:audit|report|quote)\b"
        r"|\b\d{1,3}\s?% off\b|\border now\b|\bbest prices?\b|\bno prescription\b|\bdiscreet (?:shipping|delivery)\b"
    ),
    "web_marketing": re.compile(
        r"\bpozycjonowan\w*|\bseo\b|\bgoogle\w*|\btraffic\b|\bruch\w* na stron\w*|\branking\w*"
        r"|\bwidoczn\w* w (?:google|internecie|wyszukiwar)|\bsocial media\b|\bbacklink\w*"
        r"|\bguest ?post\w*|\bdo-?follow\b|\bsponsored (?:post|article|content)\w*|\blink (?:insertion|building)\w*"
        r"|\b(?:artykul|wpis|post)\w* sponsorowan\w*|\blink\w* (?:dofollow|zwrotn)\w*"
    ),
}
_ODD_ATTACHMENT = re.compile(r"\.(?:zip|rar|7z|exe|scr|js|vbs|iso|img|html?|lnk|cab)$|\.\w{3,4}\.\w{2,4}$")
# An archive or a program linked or named in the text ("pobierz wezwanie: https://.../wezwanie.pdf.zip",
# "Faktura_0387.zip (hasło do archiwum: 2026)") is an attachment by other means.
_ODD_IN_TEXT = re.compile(r"https?://\S+\.(?:js|img)\b|\b\w[\w-]*\.(?:zip|rar|7z|exe|scr|vbs|iso|lnk|cab)\b"
                          r"|\bhasl\w* do (?:archiwum|pliku)\b")


def scam_kinds(mail: ParsedMail, folded_text: str, folded_subject: str) -> list[str]:
    """The kinds of scam/spam evidence a message shows (each once), in ``KINDS`` order."""
    text = folded_subject + "\n" + folded_text
    found = [kind for kind, pattern in KINDS.items() if pattern.search(text)]
    if any(_ODD_ATTACHMENT.search(a.filename.lower()) for a in mail.attachments) or _ODD_IN_TEXT.search(text):
        found.append("odd_attachment")
    return found
