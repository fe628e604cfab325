"""Sorting: automatic mail of every common form, remarks, and ordinary office mail that only looks close."""

from __future__ import annotations

import pytest

from classifiers.sorting import sort_message

AUTOMATIC = [
    ("sort_bounce_postfix_user_unknown", "bounce (flufl.bounce"),
    ("sort_bounce_postfix_delay_warning", "delivery delay"),
    ("sort_bounce_gmail_returned_original_rfc822", "bounce (flufl.bounce"),
    ("sort_read_receipt_disposition_notification", "disposition-notification"),
    ("sort_out_of_office_auto_submitted", "Auto-Submitted: auto-replied"),
    ("sort_out_of_office_x_autoreply_only", "X-Autoreply"),
    ("sort_out_of_office_no_marker_header", "out-of-office subject"),
    ("sort_out_of_office_body_only_polish", "out-of-office wording"),
    ("sort_newsletter_list_id", "Precedence: bulk"),
    ("sort_no_reply_notification", "Auto-Submitted"),
    ("sort_no_reply_sender_without_headers", "automatic sender address"),
    ("sort_spam_flagged_by_server", "X-Spam-Flag: YES"),
    ("sort_spam_subject_tag", "tagged as spam"),
    ("sort_advance_fee_scam_unflagged", "spam/scam cues"),
]


@pytest.mark.parametrize(("name", "reason"), AUTOMATIC)
def test_automatic_mail_is_recognised_and_never_acknowledged(eml, hints, name, reason):
    mail, raw = eml(name)
    decision = sort_message(mail, hints, raw)
    assert decision.kind == "automatic"
    assert reason in decision.reason
    assert decision.is_automatic_sender


def test_a_bounce_names_the_failed_recipient(eml, hints):
    mail, raw = eml("sort_bounce_postfix_user_unknown")
    assert "soltys.malinowo@wp.pl" in sort_message(mail, hints, raw).reason


def test_a_bounce_is_still_automatic_without_the_raw_bytes(eml, hints):
    mail, _ = eml("sort_bounce_gmail_returned_original_rfc822")
    assert sort_message(mail, hints).kind == "automatic"


def test_a_list_header_alone_marks_a_newsletter(make_mail, hints):
    mail = make_mail("Nowości w dotacjach dla gmin.", headers={"list-unsubscribe": ("<mailto:x@y.pl>",)})
    assert sort_message(mail, hints).reason == "List-Unsubscribe header"


def test_auto_submitted_no_is_a_person(make_mail, hints):
    mail = make_mail("Proponuję w strategii basen w Klukowie.", headers={"auto-submitted": ("no",)})
    assert sort_message(mail, hints).kind == "remark"


REMARKS = [
    "split_numbered_list_reply_to_circular",
    "split_uwaga_1_uwaga_2",
    "split_docx_form_rows",
    "split_pdf_numbered_points",
    "split_forwarded_rfc822_remark",
    "split_follow_up_reply",
    "sort_reply_to_invitation_with_remark",
    "sort_support_without_naming_strategy",
    "split_forward_of_office_circular_with_comment",
]


@pytest.mark.parametrize("name", REMARKS)
def test_remarks_on_the_strategy_are_sorted_as_remarks(eml, hints, name):
    mail, raw = eml(name)
    decision = sort_message(mail, hints, raw)
    assert decision.kind == "remark", decision.reason
    assert not decision.is_automatic_sender


def test_a_reply_to_an_acknowledgement_is_a_follow_up_of_the_case(eml, hints):
    mail, raw = eml("split_follow_up_reply")
    assert "STR/2026/0031" in sort_message(mail, hints, raw).reason


def test_a_known_thread_id_makes_a_reply_a_remark(make_mail, hints):
    from dataclasses import replace

    mail = make_mail(
        "Jeszcze jedno: przy stacji przydałby się parking dla rowerów.",
        subject="Re: odp",
        in_reply_to="ack-1@klukowo.pl",
    )
    known = replace(hints, thread_ids=frozenset({"<ack-1@klukowo.pl>"}))
    follow_up = sort_message(mail, known)
    assert (follow_up.kind, follow_up.needs_review) == ("remark", False)
    assert "follow-up" in follow_up.reason
    # Without the thread (and without a catalogue to name its topic) the wish is not enough to
    # overrule the rules, but it is not left as plain other: a person glances at it.
    alone = sort_message(mail, hints)
    assert (alone.kind, alone.needs_glance) == ("other", True), alone.reason


OTHER = [
    ("sort_water_bill_shares_vocabulary", False),
    ("sort_commercial_offer_solar_lamps", False),
    ("sort_thank_you_reply_with_office_quote", False),
    ("sort_procedural_deadline_question", True),
    ("sort_mass_mailing_mentions_strategies", True),
    ("sort_reply_to_circular_thanks_only", True),
    ("sort_offer_to_write_a_strategy", True),
    ("sort_follow_up_with_case_reference_thanks_only", True),
    ("sort_remarks_on_another_draft_resolution", True),
    ("sort_copy_of_acknowledgement_from_office", True),
    ("sort_forward_of_office_circular_without_comment", True),
]


@pytest.mark.parametrize(("name", "glance"), OTHER)
def test_office_mail_that_only_looks_close_is_other(eml, hints, name, glance):
    mail, raw = eml(name)
    decision = sort_message(mail, hints, raw)
    assert decision.kind == "other", decision.reason
    assert decision.needs_glance is glance


def test_a_procedural_question_is_not_a_remark_but_a_question_on_content_is(make_mail, hints):
    procedural = make_mail(
        "Do kiedy można składać uwagi do strategii? Czy formularz można przynieść osobiście?"
    )
    content = make_mail("Czy strategia przewiduje kanalizację w Uszy Wielkiej? Bez niej nic się nie zmieni.")
    assert sort_message(procedural, hints).kind == "other"
    assert sort_message(content, hints).kind == "remark"


def test_a_remark_without_diacritics_is_found(make_mail, hints):
    mail = make_mail("Dzien dobry, w strategii brakuje sciezki rowerowej do Wysokiego. Prosze ja dopisac.")
    assert sort_message(mail, hints).kind == "remark"


def test_a_project_cited_by_number_is_a_remark(make_mail, hints):
    assert (
        sort_message(make_mail("Jestem przeciwko projektowi 4.2, szkoda pieniędzy."), hints).kind == "remark"
    )


def test_a_weak_sign_and_an_opinion_give_a_remark_for_review(make_mail, hints):
    mail = make_mail(
        "W projekcie o odpadach proponuję zbiórkę folii rolniczej w każdej wsi.", subject="folia"
    )
    decision = sort_message(mail, hints)
    assert (decision.kind, decision.needs_review) == ("remark", True)


def test_support_stated_outright_is_a_remark_for_review(make_mail, hints):
    decision = sort_message(
        make_mail("Popieram pomysł wspólnego biletu na autobusy.", subject="bilet"), hints
    )
    assert (decision.kind, decision.needs_review) == ("remark", True)


def test_an_office_proposal_of_a_meeting_is_not_a_remark(make_mail, hints):
    mail = make_mail("Proponuję spotkanie w sprawie dzierżawy działki we wtorek o 10.", subject="dzierżawa")
    assert sort_message(mail, hints).kind == "other"


def test_a_remark_that_mentions_holidays_is_not_an_out_of_office(make_mail, hints):
    mail = make_mail(
        "Jestem na urlopie do 20 grudnia, więc przeczytałam strategię. Proponuję więcej ścieżek."
    )
    decision = sort_message(mail, hints)
    assert decision.kind == "remark"
    assert decision.needs_review


def test_an_out_of_office_reply_to_an_acknowledgement_is_automatic(make_mail, hints):
    mail = make_mail(
        "Jestem na urlopie do 5 stycznia. W sprawach pilnych proszę dzwonić do sekretariatu.",
        subject="Re: Potwierdzenie przyjęcia uwag – STR/2026/0042",
    )
    assert sort_message(mail, hints).kind == "automatic"


def test_robot_wording_in_the_quote_does_not_make_a_reply_automatic(eml, hints):
    mail, raw = eml("split_follow_up_reply")  # quotes our "prosimy na nią nie odpowiadać"
    assert "nie odpowiadać" in mail.body_text
    assert sort_message(mail, hints, raw).kind == "remark"


CIRCULAR = "Re: Konsultacje społeczne projektu Strategii Terytorialnej Partnerstwa „Ziemia wysokomazowiecka”"


def test_a_reply_to_the_circular_saying_something_new_is_a_remark_for_review(make_mail, hints):
    decision = sort_message(
        make_mail("W Kuczynie nie ma chodnika, dzieci chodzą poboczem.", subject=CIRCULAR), hints
    )
    assert (decision.kind, decision.needs_review) == ("remark", True)


def test_an_answer_that_it_has_no_remarks_is_other_for_a_glance(make_mail, hints):
    mail = make_mail("Informuję, że Gmina Sokoły nie wnosi uwag do projektu strategii.", subject=CIRCULAR)
    decision = sort_message(mail, hints)
    assert (decision.kind, decision.needs_glance) == ("other", True)


def test_a_request_for_information_about_the_consultation_is_not_a_remark(make_mail, hints):
    mail = make_mail(
        "Na podstawie ustawy o dostępie do informacji publicznej proszę o informację, ile uwag wpłynęło "
        "w konsultacjach strategii i kiedy zostanie opublikowany raport z konsultacji.",
        subject="konsultacje strategii",
    )
    assert sort_message(mail, hints).kind == "other"


def test_the_partnership_name_comes_from_the_hints(make_mail):
    from classifiers.sorting import ConsultationHints

    mail = make_mail("Dla całej Doliny Nurca przydałby się basen.", subject="basen")
    other_name = ConsultationHints(name="Strategia Rozwoju Doliny Nurca na lata 2027-2035")
    named = sort_message(mail, other_name)
    assert named.kind == "remark" and "names the partnership" in named.reason
    # without the name the wish still reads as a remark, but nothing names the consultation
    assert "names the partnership" not in sort_message(mail, ConsultationHints()).reason


def test_a_consultation_on_another_document_reads_its_own_remarks(make_mail):
    """'Uwagi do projektu budżetu' is another document for the strategy, and its own for a budget
    consultation run beside it."""
    from classifiers.mailtext import fold
    from classifiers.sorting import ConsultationHints
    from classifiers.topic import cues

    text = fold("Uwagi do projektu budżetu gminy na 2027 rok: proponuję remont świetlicy w Zalesiu.")
    budget = ConsultationHints(name="Konsultacje projektu budżetu Gminy Klukowo na 2027 rok")
    strategy = ConsultationHints(name="Strategia Terytorialna Partnerstwa „Ziemia wysokomazowiecka”")
    assert cues(text, budget) and not cues(text, strategy)
