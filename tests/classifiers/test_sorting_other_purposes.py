"""Office mail that names the strategy or touches its topics for another purpose, and spam without a flag.

Written for these tests from the kinds of mail a municipal office gets while a consultation runs (none taken
from a corpus or a development set): a sales offer, a request to publish an announcement, a partner office's
coordination, a request for a letter of support, a members' newsletter, questions about the procedure only,
link-building spam, an inheritance scam in machine-translated Polish, cold website offers, a summons with an
archive link, a marketplace buyer scam and a romance scam; and the office's routine: a school asking for the
gmina's bus or sending a list to pass on, a partner office asking for data, a parish asking to post a concert, an
NGO asking when the grant call opens, an authority's opinion on another resolution, a resident's own declaration
or registration, help with one's own paperwork; the consultation's own logistics (leaflets, a meeting moved or
where it is, registering for it, its photos, the form in another file format, the deadline, thanks for a meeting, a
panel invitation) beside judgements of how it is run, which stay remarks; sellers who "propose" at a price.
"""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from classifiers.mailtext import fold
from classifiers.purposes import ORGANISING as ORGANISING_PURPOSE
from classifiers.purposes import other_purpose, personal_matter
from classifiers.sorting import read_evidence, sort_message
from classifiers.topic import STANCE
from classifiers.wishes import wish_forms
from tests.classifiers.conftest import _mail
from tests.classifiers.nlp_fixtures import catalogue, full_hints, nlp  # noqa: F401

DURING = datetime(2026, 11, 24, 10, 30, tzinfo=UTC)

OTHER = {
    "offer_in_the_first_person": (
        "Oferta – pompy ciepła dla budynków gminnych",
        "Szanowni Państwo,\n\nw imieniu firmy Termex przedstawiam ofertę wymiany kotłów w szkołach i świetlicach na "
        "pompy ciepła. Przygotujemy bezpłatny audyt energetyczny i wniosek o dofinansowanie.\n\nZapraszam do "
        "kontaktu.\n\nMarek Nowicki\nPrzedstawiciel handlowy\ntel. 600 100 200",
    ),
    "request_to_publish_an_announcement": (
        "Prośba o ogłoszenie",
        "Dzień dobry,\n\nuprzejmie prosimy o opublikowanie na stronie gminy poniższego ogłoszenia:\n\n„Klub Seniora "
        "w Rutkach zaprasza wszystkich mieszkańców na koncert kolęd w sobotę 19 grudnia o 16:00 w świetlicy.”\n\n"
        "Z poważaniem\nZarząd Klubu",
    ),
    "partner_office_coordination": (
        "Strategia – zestawienie uwag",
        "Dzień dobry,\n\nprzypominam ustalenia ze spotkania roboczego: zbiorcze zestawienie uwag z konsultacji "
        "strategii każda gmina przesyła do 15 grudnia, zgodnie ze wzorem tabeli. Proszę też wskazać osobę do "
        "kontaktu w tej sprawie.\n\nSekretarz Gminy",
    ),
    "letter_of_support_for_a_grant": (
        "Prośba o list poparcia",
        "Szanowny Panie Wójcie,\n\nnasze stowarzyszenie składa wniosek o grant na warsztaty rękodzieła dla "
        "seniorów. Uprzejmie prosimy o list poparcia od Gminy, bo komisja bierze go pod uwagę przy ocenie.",
    ),
    "members_newsletter": (
        "Wieści z Koła – grudzień",
        "Drodzy Członkowie i Sympatycy,\n\n• 12 grudnia kiermasz świąteczny w remizie,\n• składki na przyszły rok "
        "zbiera skarbnik,\n• przypominamy, że do 11 grudnia trwają konsultacje strategii terytorialnej, uwagi "
        "można wysyłać na adres urzędu.\n\nDo zobaczenia!",
    ),
    "offer_that_proposes_with_a_price": (
        "Ławki parkowe – oferta",
        "Dzień dobry,\n\nw związku z konsultacjami strategii proponujemy Państwa gminie ławki parkowe z "
        "recyklingu: 450 zł netto za sztukę, montaż w cenie.\n\nZespół Parkmeb",
    ),
    "offer_that_proposes_for_a_success_fee": (
        "Wnioski o dotacje",
        "Szanowni Państwo,\n\nchcielibyśmy zaproponować Gminie przygotowanie wniosków o dofinansowanie projektów "
        "ujętych w strategii. Rozliczamy się w formie success fee.",
    ),
    "off_the_mailing_list": (
        "lista mailingowa",
        "Dzień dobry, proszę o usunięcie mojego adresu e-mail z listy mailingowej gminy, dostaję za dużo "
        "wiadomości o strategii.",
    ),
    "partner_office_reminder": (
        "Przypomnienie",
        "Uprzejmie przypominamy, że sprawozdania z konsultacji strategii należy przesłać do starostwa do 20 "
        "stycznia.",
    ),
    "help_with_ones_own_paperwork": (
        "działalność",
        "Dzień dobry, chcę otworzyć warsztat samochodowy. Czy ktoś w urzędzie pomoże mi wypełnić wniosek o wpis "
        "do CEIDG?",
    ),
    "which_documents_for_a_care_home": (
        "DPS",
        "Dzień dobry, tata po udarze potrzebuje stałej opieki. Jakie dokumenty są potrzebne do domu pomocy "
        "społecznej i czy wniosek składa się w urzędzie?",
    ),
    "where_to_send_remarks": (
        "pytanie o uwagi",
        "Dzien dobry,\ngdzie mam wyslac swoje uwagi do strategii? Czy wystarczy zwykly mail, czy trzeba wypelnic "
        "formularz?",
    ),
    "worry_about_formal_rejection": (
        "Formularz",
        "Szanowni Państwo,\n\nmam pytanie formalne. Czy formularz uwag wypełniony ręcznie i zeskanowany zostanie "
        "przyjęty? Nie chciałbym, żeby moje uwagi odrzucono z powodów formalnych.",
    ),
    "questions_about_filling_in_the_form": (
        "Formularz uwag – pytanie",
        "Szanowni Państwo,\n\nmam pytanie techniczne. Wypełniłem formularz zgłaszania uwag do projektu strategii "
        "odręcznie i zrobiłem zdjęcie. Czy takie zdjęcie będzie przyjęte? Czy trzeba podawać adres, czy wystarczy imię "
        "i nazwisko?\n\nFormularz wyślę po odpowiedzi.",
    ),
    "withdrawal_and_erasure_request": (
        "wycofanie uwagi",
        "Dzień dobry,\n\nw zeszłym tygodniu wysłałam uwagę do projektu strategii w sprawie farmy wiatrowej. "
        "Wycofuję tę uwagę i proszę o usunięcie moich danych z rejestru (art. 17 RODO).\n\nAnna Zych",
    ),
    "unsubscribe": (
        "wypisanie",
        "Proszę o wypisanie mnie z listy, na którą przychodzą informacje o konsultacjach strategii. Nie wyrażam zgody "
        "na dalsze przesyłanie takich wiadomości.",
    ),
    "job_application": (
        "Aplikacja – referent ds. funduszy",
        "Szanowni Państwo,\n\nw odpowiedzi na nabór na stanowisko referenta ds. funduszy zewnętrznych przesyłam CV i "
        "list motywacyjny. Znam projekt strategii Partnerstwa i chętnie pomogę przy wnioskach o dofinansowanie.",
    ),
    "forward_for_information": (
        "PD: zebranie w sprawie strategii",
        "Dzień dobry, przesyłam do wiadomości termin zebrania w sprawie strategii w Rutkach. Proszę o umieszczenie "
        "ogłoszenia na stronie gminy.\n\nRadny",
    ),
    "own_grant_payment": (
        "wypłata dotacji",
        "Dzień dobry, piszę drugi raz. Kocioł na pellet wymieniony w sierpniu, wniosek o płatność złożony we wrześniu, "
        "a pieniędzy dalej nie ma. Na jakim etapie jest moja sprawa? Nr wniosku CP/2026/01234.",
    ),
    "did_my_remarks_arrive": (
        "czy uwagi doszły?",
        "Dzień dobry,\n\nw poniedziałek wysłałem na ten adres uwagi do projektu strategii. Do dziś nie dostałem "
        "potwierdzenia. Czy mail do Państwa dotarł? Jeśli nie, wyślę jeszcze raz.",
    ),
    "offer_to_present_a_platform": (
        "Konsultacje online – demo",
        "Dzień dobry,\n\nwidzę, że w gminie trwają konsultacje strategii. Nasza platforma zbiera uwagi mieszkańców i "
        "sama przygotowuje raport. Proponuję bezpłatną prezentację online, abonament na pierwszy rok to 1 900 zł "
        "netto.",
    ),
    # a cold offer that compliments the office's website and asks for a call
    "web_studio_offer": (
        "Czy Wasza strona jest gotowa na 2027?",
        "Dzień dobry,\n\nzajrzeliśmy na stronę gminy. Mieszkańcy szukają tam informacji o odpadach i autobusach, a "
        "menu jest nieczytelne na telefonie. Wykonujemy serwisy dla samorządów od 12 lat, nasze realizacje są na "
        "naszej stronie – zobaczcie sami.\n\nCzy znajdzie Pan 20 minut na rozmowę w przyszłym tygodniu?\n\n"
        "Joanna Kruk, WebGmina",
    ),
    "press_enquiry_naming_the_paper": (
        "Rozmowa o strategii",
        "Dzień dobry,\n\nprzygotowuję do „Głosu Powiatu” materiał o strategii partnerstwa, która jest na "
        "konsultacjach. Czy sekretarz gminy znajdzie czas na krótką rozmowę o tym, jak mieszkańcy mogą zgłaszać "
        "uwagi? Tekst ukaże się w piątkowym wydaniu.\n\nRedakcja",
    ),
    "partner_office_proposes_a_meeting_date": (
        "Spotkanie w sprawie konsultacji",
        "Dzień dobry,\n\nproponuję termin spotkania zespołu Partnerstwa w sprawie podsumowania konsultacji "
        "strategii: czwartek 17 grudnia, godz. 9:00, Urząd Gminy Ciechanowiec. Proszę o informację, który termin "
        "Państwu odpowiada i kto będzie reprezentował gminę.\n\nSekretarz Gminy",
    ),
    "asking_to_join_the_mailing_list": (
        "Lista adresowa",
        "Dzień dobry,\n\nprosimy o dopisanie naszego stowarzyszenia do listy mailingowej, na którą urząd wysyła "
        "informacje o konsultacjach strategii i innych sprawach gminy.\n\nZarząd Stowarzyszenia",
    ),
    "asking_permission_to_use_the_draft": (
        "Strategia na zajęciach",
        "Dzień dobry,\n\nprowadzę koło historyczne w szkole. Czy mogę wykorzystać projekt strategii na zajęciach "
        "i wydrukować uczniom kilka stron? Czy są jakieś ograniczenia?\n\nAnna Zalewska",
    ),
    "company_asking_about_tenders": (
        "Zamówienia w ramach strategii",
        "Dzień dobry,\n\nnasza spółka specjalizuje się w montażu oświetlenia ulicznego. Czy projekty strategii będą "
        "realizowane w trybie przetargów i kiedy można się spodziewać ogłoszeń?\n\nBiuro handlowe",
    ),
    "partner_office_sends_minutes": (
        "Protokół",
        "Szanowni Państwo,\n\nw załączeniu przesyłam protokół ze spotkania konsultacyjnego strategii w naszej gminie, "
        "do wykorzystania w raporcie zbiorczym. Lista obecności jest do wglądu w urzędzie.",
    ),
    "cancelling_attendance_at_the_meeting": (
        "Spotkanie konsultacyjne",
        "Dzień dobry,\nzapisałam się na czwartkowe spotkanie w sprawie strategii, ale muszę to odwołać, bo mam "
        "wizytę u lekarza. Proszę skreślić mnie z listy.",
    ),
    "press_reminder": (
        "Re: pytania prasowe o konsultacje",
        "Dzień dobry,\n\nprzypominam o pytaniach z ubiegłego tygodnia. Tekst zamykamy w piątek, więc byłbym "
        "wdzięczny za odpowiedź do czwartku.",
    ),
    "asking_for_an_inspection_of_a_neighbour": (
        "Dym od sąsiada",
        "Dzień dobry,\n\nsąsiad spod numeru 8 pali w piecu plastikiem i dym wchodzi do naszego domu. Proszę o "
        "przeprowadzenie kontroli paleniska pod tym adresem.\n\nMarek Sadowski",
    ),
    # an office's routine: a school, a partner office, a parish, an NGO, an authority, a resident's own case
    "school_asks_for_the_gmina_bus": (
        "Wycieczka klas I–III",
        "Szanowny Panie Wójcie,\n\nSzkoła Podstawowa w Rutkach zwraca się z prośbą o udostępnienie autobusu "
        "gminnego z kierowcą 14 stycznia na wyjazd 30 uczniów do teatru w Łomży. Koszt paliwa pokryje Rada "
        "Rodziców.\n\nDyrektor Szkoły",
    ),
    "partner_office_asks_for_a_table": (
        "Wspólny wniosek – dane o budynkach",
        "Dzień dobry,\n\nprzygotowujemy wspólny wniosek Partnerstwa o dofinansowanie odnawialnych źródeł energii. "
        "Prosimy o uzupełnienie załączonej tabeli danymi o budynkach szkół do 10 grudnia.\n\nReferat Rozwoju",
    ),
    "school_sends_a_list_to_pass_on": (
        "Wykaz dowożonych",
        "Dzień dobry,\n\nw załączeniu przesyłam wykaz dzieci dowożonych w styczniu. Prosimy o przekazanie wykazu "
        "przewoźnikowi, bo od ferii zmienia się trasa autobusu.\n\nSekretariat szkoły",
    ),
    "parish_asks_to_post_a_concert": (
        "Koncert",
        "Szczęść Boże,\n\nuprzejmie prosimy o zamieszczenie na stronie gminy i na Facebooku informacji o koncercie "
        "chóru w kościele w Rutkach 3 stycznia o 17:00. Wstęp wolny.\n\nks. proboszcz",
    ),
    "ngo_asks_when_the_grant_call_opens": (
        "Konkurs ofert 2027",
        "Dzień dobry,\n\nczy gmina ogłosi w styczniu otwarty konkurs ofert na zadania z kultury i sportu? "
        "Chcielibyśmy przygotować ofertę na zajęcia sportowe dla dzieci i musimy wiedzieć, ile mamy czasu.\n\n"
        "Stowarzyszenie „Razem dla Rutek”",
    ),
    "authority_gives_its_opinion_on_another_resolution": (
        "Opinia do projektu uchwały",
        "W odpowiedzi na pismo z 2 listopada Państwowy Powiatowy Inspektor Sanitarny pozytywnie opiniuje projekt "
        "uchwały w sprawie regulaminu utrzymania czystości i porządku na terenie gminy. Należy jedynie uzupełnić "
        "§ 5 o częstotliwość odbioru bioodpadów.",
    ),
    "resident_changes_her_waste_declaration": (
        "Deklaracja śmieciowa",
        "Dzień dobry,\n\nod grudnia mieszkamy w domu we trójkę, bo syn wyjechał. Czy mogę złożyć nową deklarację "
        "przez ePUAP? Od kiedy będzie naliczana niższa opłata za odpady?\n\nAnna Wiśniewska",
    ),
    "migrant_asks_about_registering_her_address": (
        "Zameldowanie",
        "Добрий день! Я з донькою живу в Рутках, хочу зробити zameldowanie на постійне проживання. Які документи "
        "потрібно принести до ґміни?\n\nОксана",
    ),
}


AUTOMATIC = {
    "link_building_offer": (
        "Guest post for your site",
        "Hi,\n\nI came across your site and loved your content. We would like to publish a guest post with one "
        "do-follow link; we pay $90 per article via PayPal. If you offer sponsored posts, please send your price "
        "list.\n\nBest,\nAnna",
    ),
    "inheritance_scam_in_machine_polish": (
        "Darowizna dla ciebie",
        "Mój umiłowany w Panu,\n\njestem pani Grace Okafor, wdowa po zmarły mąż, który zdeponował sumę 3,2 miliona "
        "dolarów w banku. Lekarz powiedział, że nie przeżyję roku. Chcę przekazać ten fundusz do ciebie na cel "
        "dobroczynny. Odpowiedz mi szybko, żebym dała kontakt do banku.",
    ),
    # a link to an archive and a threatened fine
    "summons_with_an_archive_link": (
        "Zawiadomienie o rozprawie",
        "Dzień dobry,\n\nuprzejmie zawiadamiamy o wyznaczeniu rozprawy. Odpis wezwania można pobrać tutaj:\n"
        "https://e-doreczenia-sad.example.net/pobierz/wezwanie_2231.pdf.zip\n\nNieodebranie pisma może skutkować "
        "nałożeniem grzywny.\n\nBiuro Podawcze",
    ),
    "marketplace_buyer_scam": (
        "Kupię – rower",
        "Dzień dobry,\n\nchcę kupić Państwa rower z ogłoszenia. Opłaciłam już przesyłkę kurierską. Żeby otrzymać "
        "pieniądze za rower, proszę kliknąć w link i podać numer karty:\n"
        "https://bezpieczne-zakupy-kurier.example.shop/odbior/5521\n\nPozdrawiam, Ewelina",
    ),
    "romance_scam_in_english": (
        "Hello dear",
        "Hello dear,\n\nI am Captain David Miller, a widower serving on a peace mission abroad. I found your "
        "address and felt I could trust you. I need to send a consignment to a reliable person before my leave and "
        "I must tell you more in confidence.\n\nPlease write back to me.",
    ),
    "seo_audit_offer": (
        "klukowo.pl – błędy w Google",
        "Dzień dobry,\n\nsprawdziłem Waszą stronę: przez błędy techniczne nie widać jej w Google na frazy o "
        "turystyce w gminie. Mogę przesłać bezpłatny raport z pozycjonowania. Wysłać?",
    ),
    "lottery_win_with_a_handling_fee": (
        "Wygrana 500 000 EUR",
        "Szanowny Laureacie,\n\nTwój adres e-mail wygrał w losowaniu nagrodę 500 000 EUR. Aby ją odebrać, prześlij "
        "skan dowodu osobistego i numer telefonu. Opłata manipulacyjna wynosi 190 EUR.\n\nDział Nagród",
    ),
    "page_takedown_threat": (
        "Twoja strona zostanie wyłączona",
        "Twoja strona otrzymała zgłoszenia naruszenia praw autorskich. Jeśli to pomyłka, złóż odwołanie w ciągu "
        "24 godzin. W przeciwnym razie strona zostanie trwale wyłączona.\n\nZespół Wsparcia",
    ),
    "supplier_changes_its_bank_account": (
        "PILNE: nowy rachunek",
        "Dzień dobry,\n\ninformujemy, że od dziś płatności za nasze faktury należy kierować na nowy rachunek "
        "bankowy 12 3456 7890 0000 0000 1111 2222. Prosimy o niezwłoczną aktualizację danych i nie kontaktowanie się "
        "w tej sprawie telefonicznie.\n\nDział Księgowości",
    ),
}


@pytest.mark.parametrize(("kind", "case"), [*(("other", c) for c in sorted(OTHER)),
                                           *(("automatic", c) for c in sorted(AUTOMATIC))])
def test_mail_for_another_purpose_is_other_and_unflagged_spam_automatic(kind, case, full_hints):  # noqa: F811
    subject, body = (OTHER if kind == "other" else AUTOMATIC)[case]
    mail = _mail(body, subject=subject, date=DURING, sender_email="k.nowak@poczta.example")
    decision = sort_message(mail, full_hints)
    assert decision.kind == kind, decision.reason


def test_a_judgement_of_the_idea_with_a_jussive_is_a_remark(full_hints):  # noqa: F811
    """"Dobry pomysł, tylko niech zrobią porządnie" judges a project and wishes, without naming the strategy."""
    body = ("Dzień dobry,\n\nsłyszałam, że gminy chcą razem kupić nowe autobusy do dowozu dzieci. Bardzo dobry "
            "pomysł, tylko niech wreszcie zrobią przystanki z wiatą.\n\nM. Wiśniewska")
    decision = sort_message(_mail(body, subject="autobusy", date=DURING), full_hints)
    assert decision.kind == "remark", decision.reason
    assert "imperative" in {f.kind for f in wish_forms("Niech to zrobią porządnie.")}


def test_a_follow_up_that_corrects_the_senders_data_is_other(full_hints):  # noqa: F811
    """A case reference makes a reply a follow-up, but a correction of the sender's data is no remark."""
    body = ("Dzień dobry,\n\nw potwierdzeniu mojej uwagi STR/2026/0311 zapisano moje nazwisko z błędem. Proszę o "
            "poprawienie nazwiska na Kowalczyk-Nowak.")
    decision = sort_message(_mail(body, subject="Re: Potwierdzenie przyjęcia uwag – STR/2026/0311", date=DURING),
                            full_hints)
    assert (decision.kind, decision.needs_glance) == ("other", True), decision.reason


def test_a_follow_up_that_adds_to_the_remark_stays_a_remark_whatever_words_it_uses(full_hints):  # noqa: F811
    """Only a withdrawal or a correction of the sender's data takes a follow-up out: office words do not."""
    body = ("Dzień dobry,\n\ndo mojej uwagi STR/2026/0311 dodam, że oferta usług opiekuńczych w gminie jest za mała, "
            "na opiekunkę czeka się pół roku.")
    decision = sort_message(_mail(body, subject="Re: Potwierdzenie przyjęcia uwag – STR/2026/0311", date=DURING),
                            full_hints)
    assert decision.kind == "remark", decision.reason


def test_extortion_that_claims_to_come_from_our_own_address_is_weighed(full_hints):  # noqa: F811
    """The office's own address as sender makes mail "other" only when it does not read as a machine's scam."""
    body = ("Witam!\n\nJestem haker, mam dostęp do twoje konto i nagrałem cię kamerą. Przelej 900 USD w Bitcoin na "
            "mój portfel w ciągu 48 godzin, inaczej wyślę nagranie do twoich kontaktów.")
    mail = _mail(body, subject="Twoje konto", date=DURING, sender_email="ug@klukowo.pl")
    assert sort_message(mail, full_hints).kind == "automatic"


def test_a_name_in_quotation_marks_is_not_the_writers_wish():
    """"Fundacja „Zróbmy Razem”" or a quoted passage of the draft: the imperative is the name's, not the writer's."""
    assert not wish_forms("Piszę w imieniu Stowarzyszenia „Zróbmy Razem”, działamy w gminie od dziesięciu lat.")
    assert {f.kind for f in wish_forms("Zapis „Róbmy to wspólnie” jest pusty, trzeba go zmienić.")} == {"modal"}


def test_questions_about_the_procedure_are_no_wish_question_or_intent(full_hints):  # noqa: F811
    subject, body = OTHER["questions_about_filling_in_the_form"]
    _, evidence = read_evidence(_mail(body, subject=subject, date=DURING), full_hints)
    assert evidence.values["procedural"] == 1.0
    assert [evidence.values[k] for k in ("wish_form", "future_question", "remark_intent")] == [0.0, 0.0, 0.0]


@pytest.mark.parametrize("text", ["Чи буде в гміні клуб для літніх людей, куди можна прийти вдень?",
                                  "Ці будзе ў гміне кааператыў, каб жыхары плацілі менш за электрычнасць?",
                                  "Will there be a bike map of the area in English?"])
def test_a_question_about_the_future_in_another_language_is_seen(text):
    assert "question" in {f.kind for f in wish_forms(text)}, wish_forms(text)


@pytest.mark.parametrize("text", ["Chciałem zapytać, czy jest w planach kanalizacja w Rutkach?",
                                  "Kiedy możemy się spodziewać chodnika do szkoły?"])
def test_a_question_about_plans_is_about_the_future(text):
    assert "question" in {f.kind for f in wish_forms(text)}, wish_forms(text)


def test_the_conditional_of_a_ukrainian_wish_is_seen():
    assert wish_forms("Я б ходила туди з радістю, бо вдень сиджу сама."), "conditional 'б ходила'"
    assert wish_forms("Після роботи я могла б допомагати сусідам із покупками."), "'могла б' after its verb"


def test_asking_outright_in_another_language_is_a_request():
    """A request word or a sentence opening with an infinitive, as Ukrainian and Belarusian lists of wishes run."""
    for text in ("Прошу додати хоча б один рейс автобуса в неділю.", "Зробити вечірні курси польської мови в "
                 "бібліотеці.", "Арганізаваць гурток для дзяцей па суботах.", "Please add an evening bus to town."):
        assert "request" in {f.kind for f in wish_forms(text)}, text
    for text in ("Діти ходять до школи пішки.", "Які документи потрібно принести до гміни?"):
        assert "request" not in {f.kind for f in wish_forms(text)}, text


def test_a_ukrainian_list_of_wishes_in_the_infinitive_is_a_remark(full_hints):  # noqa: F811
    body = ("Добрий день!\n\nОрганізувати вечірні курси польської мови для дорослих у Рутках. Вдень ми працюємо, а "
            "без мови важко знайти кращу роботу.\n\nЗробити ранковий автобус до міста о 5:30, бо зміна на заводі "
            "починається о 6:00.\n\nОксана")
    decision = sort_message(_mail(body, subject="Пропозиції", date=DURING), full_hints)
    assert decision.kind == "remark", decision.reason


@pytest.mark.parametrize("text", ["Nie zgadzam się na zbiornik na moich łąkach.",
                                  "Na takie rozwiązanie ja się nie zgadzam.",
                                  "Ja się na to nie zgadzam, nikt nas nie pytał."])
def test_disagreement_is_an_opinion_in_any_word_order(text):
    assert STANCE.search(fold(text)), text


def test_support_at_the_start_of_a_sentence_is_stated_outright():
    from classifiers.mailtext import fold
    from classifiers.topic import STANCE_ALONE

    assert STANCE_ALONE.search(fold("Dobrze, że gminy chcą działać razem. Popieram, tylko niech biuro będzie małe."))
    assert not STANCE_ALONE.search(fold("Nie wiem, kogo popieram w tej sprawie."))


@pytest.mark.parametrize(
    ("text", "procedural"),
    [
        ("Do kiedy można składać uwagi? Czy formularz trzeba podpisać?", True),
        ("Gdzie mam wysłać formularz uwag? Nie mogę znaleźć adresu na stronie.", True),
        ("Czy można przesłać uwagi anonimowo? Nie chcę, żeby moje nazwisko było w raporcie. Czy wystarczy, że nie "
         "podpiszę listu?", True),
        ("Projekt jest tylko na stronie. Proszę, żeby wydruki z formularzem leżały w bibliotece i u sołtysa.", False),
        ("Proszę, żeby spotkanie konsultacyjne zrobić wieczorem, a nie o dziesiątej, kiedy ludzie są w pracy.", False),
    ],
)
def test_asking_for_the_consultation_to_be_run_otherwise_is_no_procedural_question(text, procedural):
    """A wish about how the consultation is run is a remark on the consultation itself (OGOLNA)."""
    from classifiers.topic import is_procedural

    assert is_procedural(text) is procedural


# The consultation's own logistics: its materials, rooms and meetings, its deadline, thanks for a meeting.
ORGANISING = {
    "leaflets_for_the_parish": (
        "ulotki", "Dzień dobry, czy mogłabym prosić o przygotowanie kilkunastu ulotek o konsultacjach strategii? "
        "Rozdam je po mszy w naszej parafii. Odbiorę w piątek."),
    "meeting_moved": (
        "zmiana terminu", "Dzień dobry,\n\nspotkanie konsultacyjne dotyczące strategii w świetlicy w Rutkach zostało "
        "przesunięte z wtorku na czwartek, godz. 18, bo sala jest zajęta. Proszę przekazać to mieszkańcom.\n\n"
        "Sołtys"),
    "deadline_with_a_reason": (
        "termin", "Do kiedy można przesyłać uwagi do strategii? Wyjeżdżam do córki na dwa tygodnie i wrócę dopiero "
        "w grudniu."),
    "thanks_for_the_meeting": (
        "podziękowanie", "Chciałem podziękować za czwartkowe spotkanie w sprawie strategii w remizie. Przyjechała "
        "pani z biura Partnerstwa i sala była pełna."),
    "invited_to_a_panel": (
        "Forum Rozwoju", "Szanowna Pani Wójt,\n\nmamy przyjemność zaprosić Panią do udziału w panelu o współpracy gmin "
        "podczas Forum Rozwoju Regionalnego w Białymstoku. Chętnie posłuchamy o strategii Partnerstwa i jej "
        "konsultacjach."),
    "the_form_in_an_editable_file": (
        "formularz", "Dzień dobry, poproszę o przesłanie formularza uwag do strategii w wersji do edycji, bo PDF nie "
        "daje się wypełnić na komputerze."),
    "when_and_where_is_the_meeting": (
        "spotkanie", "Kiedy i gdzie odbędzie się spotkanie w sprawie strategii w naszej wsi? Ogłoszenia na tablicy "
        "nie ma."),
    "must_one_register_for_the_meeting": (
        "zapisy", "Czy na spotkanie konsultacyjne w sprawie strategii trzeba się wcześniej zapisać? Przyjdziemy "
        "we trójkę."),
    "photos_of_the_meeting": (
        "zdjęcia", "Czy mogę dostać kilka zdjęć ze spotkania w sprawie strategii do gazetki parafialnej?"),
    "attendance_with_names_for_the_list": (
        "udział", "Potwierdzam udział w spotkaniu o strategii. Proszę o wpisanie na listę trzech osób z naszego "
        "koła gospodyń."),
}


@pytest.mark.parametrize("case", sorted(ORGANISING))
def test_organising_the_consultation_is_no_remark(case, full_hints):  # noqa: F811
    subject, body = ORGANISING[case]
    decision = sort_message(_mail(body, subject=subject, date=DURING, sender_email="k.nowak@poczta.example"),
                            full_hints)
    assert decision.kind == "other", decision.reason


@pytest.mark.parametrize("body", [
    "Spotkanie konsultacyjne w sprawie strategii zostało przesunięte na wtorek na 10 rano, kiedy ludzie są w pracy. "
    "To zły pomysł, proszę zorganizować drugie spotkanie wieczorem.",
    "Projekt strategii jest tylko na stronie internetowej. Proszę, żeby wydruki z formularzem leżały w bibliotece i "
    "u sołtysa, bo starsi nie mają internetu.",
])
def test_judging_how_the_consultation_is_organised_stays_a_remark(body, full_hints):  # noqa: F811
    decision = sort_message(_mail(body, subject="spotkanie", date=DURING, sender_email="k.nowak@poczta.example"),
                            full_hints)
    assert decision.kind == "remark", decision.reason


@pytest.mark.parametrize("body", [
    "siema, chcemy ścieżkę rowerową do szkoły w Rutkach, jeździmy poboczem i kierowcy na nas trąbią",
    "Dzień dobry,\n\nmieszkańcy Rutek nie zgadzają się na budowę oczyszczalni ścieków tuż przy szkole. Smród i "
    "ciężarówki to nie jest coś, z czym da się żyć.\n\nw imieniu sąsiadów, Jan Nowak",
    "Добры дзень!\n\nПрапаную, каб у стратэгіі былі курсы польскай мовы для дарослых увечары.\n\nЗ павагай, Алена",
])
def test_wanting_a_thing_a_groups_disagreement_and_a_belarusian_proposal_are_remarks(body, full_hints):  # noqa: F811
    decision = sort_message(_mail(body, subject="uwaga", date=DURING, sender_email="k.nowak@poczta.example"),
                            full_hints)
    assert decision.kind == "remark", decision.reason


@pytest.mark.parametrize(("text", "wants"), [("chcemy skatepark w Rutkach", True),
                                             ("Chcemy z powrotem posterunek policji.", True),
                                             ("Chcemy plac zabaw przy szkole.", True),
                                             ("Chcemy zapisać dziecko do przedszkola.", False),
                                             ("Chcemy tylko zapytać o termin.", False)])
def test_wanting_a_thing_is_a_wish_and_wanting_to_do_ones_errand_is_not(text, wants):
    assert ("hope" in {f.kind for f in wish_forms(text)}) is wants


@pytest.mark.parametrize(("text", "wish"), [("Mogłabym przyjść w czwartek po południu.", False),
                                            ("Moglbym odebrac formularz jutro.", False),
                                            ("Mogłaby gmina zrobić chodnik do szkoły.", True),
                                            ("Mógłbym pomóc przy sprzątaniu, gdyby gmina zorganizowała akcję.", True)])
def test_offering_an_errand_of_ones_own_is_no_conditional_wish(text, wish):
    """"Mogłabym przyjść": the writer's own visit, said politely; "mogłaby gmina zrobić" wishes."""
    assert ("conditional" in {f.kind for f in wish_forms(text)}) is wish


@pytest.mark.parametrize(("text", "proposes"), [
    ("Jeśli mogę coś zaproponować: targ z miodem i serami od gospodarzy raz w miesiącu.", True),
    ("Chcielibyśmy zaproponować Państwu współpracę przy promocji gminy.", False),
    ("Chcielibyśmy zaproponować Gminie opracowanie dokumentacji.", False),
])
def test_offering_a_proposal_is_a_stance_and_a_sellers_offer_is_not(text, proposes):
    assert bool(STANCE.search(fold(text))) is proposes


def test_names_for_the_meetings_list_are_no_wish_for_the_strategy():
    """"Proszę o wpisanie na listę trzech osób" puts people on a list; "o wpisanie drogi" puts a matter in the plan."""
    assert not STANCE.search(fold("Proszę o wpisanie na listę trzech osób."))
    assert STANCE.search(fold("Proszę o wpisanie przebudowy drogi do strategii."))


@pytest.mark.parametrize("text", [
    "Czy uwagi do strategii można wysyłać tylko na adres urzędu?",
    "Wysłałem uwagi na zły adres. Czy zostaną przyjęte, jeśli wyślę je jeszcze raz?",
])
def test_where_remarks_go_and_whether_a_resent_one_counts_is_the_consultations_logistics(text):
    """The purpose is seen; whether it outweighs the named remarks is the sort model's to weigh."""
    assert other_purpose(text).startswith(ORGANISING_PURPOSE)


@pytest.mark.parametrize(("case", "purpose"), [
    ("the_form_in_an_editable_file", ORGANISING_PURPOSE), ("photos_of_the_meeting", ORGANISING_PURPOSE),
    ("off_the_mailing_list", "a data-subject request"), ("partner_office_reminder", "an invitation or a notice"),
    ("offer_that_proposes_with_a_price", "an offer"), ("offer_that_proposes_for_a_success_fee", "an offer"),
])
def test_the_purpose_is_named(case, purpose):
    subject, body = ORGANISING[case] if case in ORGANISING else OTHER[case]
    assert other_purpose(subject + "\n" + body).startswith(purpose)


@pytest.mark.parametrize("case", ["help_with_ones_own_paperwork", "which_documents_for_a_care_home"])
def test_help_with_ones_own_paperwork_is_a_personal_matter(case):
    assert personal_matter(OTHER[case][1])


@pytest.mark.parametrize("text", [
    "Proponuję, żeby dom kultury przedstawił ofertę zajęć dla seniorów także w soboty.",
    "Niech gmina przygotuje ofertę dla inwestorów i poda ceny działek.",
])
def test_an_offer_a_remark_wishes_for_is_no_sellers_offer(text):
    assert not other_purpose(text).startswith("an offer")
