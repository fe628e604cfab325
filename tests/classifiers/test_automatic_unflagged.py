"""Machine-sent mail that no server flagged: scams, spam, out-of-office, bounces, receipts, newsletters.

Every e-mail is written for the test (none from any corpus), in several voices, mostly without diacritics.
The negative cases are residents who mention money, a link or urgency while making a remark.
"""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from classifiers.record import Attachment
from classifiers.sorting import sort_message
from tests.classifiers.conftest import HINTS, _mail

DURING = datetime(2026, 11, 20, 9, 0, tzinfo=UTC)
ZIP = Attachment("rachunek_listopad.pdf.zip", "application/zip", 18000, "0" * 64)

AUTOMATIC = {
    "lottery": ("Powiadomienie o wygranej", "Szanowny Kliencie, Twoj adres e-mail zostal wylosowany w "
                "miedzynarodowej loterii. Aby odebrac 850 000 EUR prosimy o podanie danych osobowych."),
    "advance_fee": ("Business proposal", "Good day, I am a barrister of a late client who died without a will. "
                    "I need your help to move 12.5 million dollars; you keep 30% share. Send your full name."),
    "fake_invoice": ("Rachunek 11/2026 - zaleglosc", "Dzien dobry, w zalaczeniu rachunek. Prosimy o pilne "
                     "uregulowanie naleznosci w terminie 3 dni, w przeciwnym razie sprawa trafi do windykacji."),
    "crypto": ("Zarabiaj z domu", "Nasi klienci zarabiaja nawet 5000 zl tygodniowo na bitcoinie dzieki "
               "automatycznemu systemowi. Zacznij juz dzis!"),
    "phishing": ("Konto zablokowane", "Szanowny Uzytkowniku, Twoje konto zostalo zablokowane. Zaloguj sie "
                 "przez link http://odblokuj-konto.info i potwierdz dane."),
    "parcel": ("Paczka czeka", "Twoja przesylka nie moze zostac doreczona z powodu nieoplaconego cla. Oplac "
               "3,19 PLN: https://track-paczka.info/pay"),
    "seo_en": ("Website ranking", "Hello, your website is not on the first page of Google. We improve SEO and "
               "traffic at the best price. Shall I send a price list?"),
    "seo_pl": ("Wspolpraca", "Witam, strona internetowa Panstwa gminy jest slabo widoczna w Google. Oferujemy "
               "pozycjonowanie w atrakcyjnej cenie."),
    "ooo_ukrainian": ("Re: питання", "Дякую за лист. Я у відпустці до 30 листопада, відповім після повернення."),
    "ooo_polish": ("Re: sprawa", "Dzien dobry, w dniach 18-29.11 przebywam na urlopie. W pilnych sprawach prosze "
                   "dzwonic do sekretariatu."),
    "newsletter": ("Newsletter - grudzien", "Co slychac w fundacji: szkolenia, webinar o dotacjach. Jesli nie "
                   "chcesz otrzymywac naszych wiadomosci, kliknij tutaj."),
    "bounce_plain": ("Mail delivery failed: returning message to sender", "A message that you sent could not be "
                     "delivered to one or more of its recipients: jan@nieistnieje.example"),
    "bounce_polish": ("Blad", "Wiadomosc do anna@przyklad.example nie mogla zostac dostarczona. Adres odbiorcy "
                      "nie istnieje."),
    "read_receipt": ("Potwierdzenie przeczytania: pismo", "Wiadomosc zostala przeczytana 20.11.2026 o 10:15."),
    "archive_named_in_the_text": ("Zaległa płatność FV/12/0456", "Dzień dobry, termin płatności minął. Fakturę "
                                  "pobierzesz tutaj: FV_12_0456.rar (hasło do archiwum: 1234). Prosimy o pilną "
                                  "wpłatę."),
    "mailbox_full": ("Poczta", "Twoja skrzynka pocztowa osiągnęła 97% pojemności. Aby zwiększyć limit, przejdź na "
                     "https://poczta-limit.example/up"),
    "police_summons": ("WEZWANIE 77/2026", "W związku z postępowaniem wzywamy do złożenia wyjaśnień w ciągu 48 "
                       "godzin: https://wezwania-policja.example/77. Brak odpowiedzi skutkuje wydaniem nakazu "
                       "zatrzymania."),
    "pharma_en": ("Up to 70% off", "Cheap meds, no prescription needed. Order now: http://meds.example. To stop "
                  "receiving these emails reply REMOVE."),
    "ooo_abroad": ("Re: uwagi", "To jest automatyczna odpowiedź. Do 10 grudnia przebywam za granicą, odpowiem po "
                   "powrocie."),
}


@pytest.mark.parametrize("case", sorted(AUTOMATIC))
def test_unflagged_machine_mail_is_automatic(case):
    subject, body = AUTOMATIC[case]
    attachments = (ZIP,) if case == "fake_invoice" else ()
    mail = _mail(body, subject=subject, date=DURING, sender_email="kontakt@firma-x.example", attachments=attachments)
    decision = sort_message(mail, HINTS)
    assert decision.kind == "automatic", decision.reason


RESIDENTS = {
    "money_and_link": ("Uwagi do strategii", "Proponuje, zeby w strategii Partnerstwa bylo 200 000 zl na "
                       "autobus do Zambrowa, tak jak opisano na www.przyklad.example. To pilne dla seniorow."),
    "offer_of_help": ("strategia - propozycja", "Jako firma oferujemy pomoc przy transporcie publicznym; popieramy "
                      "projekt P4.1 strategii i prosimy o szybkie uruchomienie linii."),
    "a_full_letterbox": ("poczta w Rutkach", "Skrzynka pocztowa przy sklepie w Rutkach jest pelna juz w poniedzialek, "
                         "a listonosz przyjezdza raz w tygodniu. Proponuje, zeby w strategii znalazl sie punkt "
                         "pocztowy w swietlicy, to pilne dla seniorow."),
}


@pytest.mark.parametrize("case", sorted(RESIDENTS))
def test_a_remark_about_money_links_or_urgency_is_not_spam(case):
    subject, body = RESIDENTS[case]
    decision = sort_message(_mail(body, subject=subject, date=DURING), HINTS)
    assert decision.kind == "remark", decision.reason
