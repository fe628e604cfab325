"""Shared, lazily built resources the stages need (limits, hints, catalogue, language models).

Built once per process and only when a stage asks: a poll that finds no remark never loads
spaCy or the embedding model.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import cached_property
from typing import TYPE_CHECKING, Any

from sqlalchemy import Engine
from sqlmodel import Session, col, select

from intake.errors import ConfigError
from intake.parsing import ParseLimits
from intake.parsing.limits import MB
from intake.settings import Settings
from storage.models import Message, Remark
from storage.outbox import our_message_ids

if TYPE_CHECKING:  # the classifiers load on first use: a parse-only run never imports them
    from spacy.language import Language

    from classifiers.campaigns import CampaignIndex
    from classifiers.catalogue import Catalogue
    from classifiers.embeddings import Encoder
    from classifiers.projects import ProjectClassifier
    from classifiers.topic import ConsultationHints
    from classifiers.training import TrainedModel
    from classifiers.types import TypeClassifier
    from storage.embedding_cache import DatabaseVectorStore


@dataclass
class Services:
    settings: Settings
    engine: Engine | None = None
    actor: str = "pipeline"
    cache: dict[str, Any] = field(default_factory=dict)

    @property
    def parse_limits(self) -> ParseLimits:
        lim = self.settings.limits
        return ParseLimits(
            max_message_bytes=int(lim.max_message_mb * MB),
            max_attachment_bytes=int(lim.max_attachment_mb * MB),
            max_mime_depth=lim.max_mime_depth,
            max_text_chars=lim.max_text_chars,
            max_attachments=lim.max_attachments,
            max_pdf_pages=lim.max_pdf_pages,
            max_unpacked_bytes=int(lim.max_unpacked_mb * MB),
        )

    @cached_property
    def catalogue(self) -> Catalogue:
        from classifiers.catalogue import CatalogueError, load_catalogue

        path = self.settings.catalogue_path
        if not path.exists():
            raise ConfigError(f"catalogue {path} not found; check 'catalogue' in the config")
        try:
            return load_catalogue(path)
        except CatalogueError as exc:
            raise ConfigError(f"{path}: {exc}") from None

    def hints(self) -> ConsultationHints:
        if "hints" not in self.cache:
            from classifiers.sorting import ConsultationHints

            c = self.settings.consultation
            self.cache["hints"] = ConsultationHints(
                name=c.name,
                office_addresses=tuple(c.office_addresses),
                reference_prefix=c.reference_prefix,
                projects=tuple((p.id, p.title) for p in self.catalogue.projects),
                thread_ids=frozenset(self._thread_ids()),
                topics=self._topics,
                period=(c.opens_at, c.deadline),
            )
        hints: ConsultationHints = self.cache["hints"]
        return hints

    def _topics(self, text: str) -> tuple[str, ...]:
        """Catalogue topics of a text (the keyword matcher, built on first use)."""
        if "matcher" not in self.cache:
            from classifiers.matching import KeywordMatcher

            self.cache["matcher"] = KeywordMatcher(self.catalogue, self.nlp)
        return tuple(self.cache["matcher"].topics(text))

    def _thread_ids(self) -> list[str]:
        """Message-IDs of stored remarks: a reply to one of them belongs to the same case."""
        if self.engine is None:
            return []
        with Session(self.engine) as session:
            rows = session.exec(select(Message.message_id).where(Message.kind == "remark",
                                                                 col(Message.message_id).is_not(None)))
            return [mid for mid in rows if mid] + our_message_ids(session)  # our acknowledgements too

    @cached_property
    def nlp(self) -> Language:
        from classifiers.nlp import get_nlp

        return get_nlp(self.settings.path(self.settings.paths.cache))

    @cached_property
    def trained_model(self) -> TrainedModel | None:
        from intake.models import current_model

        return current_model(self.settings)

    def model_version(self) -> str:
        model = self.trained_model
        return model.version if model is not None else "rules+embeddings"

    def project_classifier(self) -> ProjectClassifier:
        if "projects" not in self.cache:
            from classifiers.embeddings import Embedder
            from classifiers.projects import ProjectClassifier

            cls = self.settings.classification
            full = Embedder(enabled=cls.embeddings, store=self._vector_store())
            embedder: Encoder = full
            fallback: Encoder | None = None
            if cls.embeddings and cls.embedding_signal != "full":
                from classifiers.nlp import lemmatizer
                from classifiers.static_vectors import StaticEmbedder

                embedder = StaticEmbedder(lemmatizer(self.nlp).lemma)
                fallback = full if cls.embedding_signal == "fast+full" else None
            self.cache["projects"] = ProjectClassifier(self.catalogue, self.nlp, embedder=embedder,
                                                       model=self.trained_model, fallback=fallback)
        projects: ProjectClassifier = self.cache["projects"]
        return projects

    def _vector_store(self) -> DatabaseVectorStore | None:
        """Embeddings persisted in our database: each distinct text is embedded once, across runs."""
        if self.engine is None:
            return None
        from storage.embedding_cache import DatabaseVectorStore

        return DatabaseVectorStore(self.engine)

    def type_classifier(self) -> TypeClassifier:
        if "types" not in self.cache:
            from classifiers.types import TypeClassifier

            self.cache["types"] = TypeClassifier(self.nlp, model=self.trained_model)
        types: TypeClassifier = self.cache["types"]
        return types

    def campaign_index(self) -> CampaignIndex:
        """The campaign index, rebuilt from stored signatures in their original order."""
        if "campaigns" not in self.cache:
            from classifiers.campaigns import CampaignIndex

            index = CampaignIndex()
            if self.engine is not None:
                with Session(self.engine) as session:
                    rows = session.exec(
                        select(Remark.message_pk, Remark.ordinal, Remark.signature, Message.sender_email)
                        .where(Remark.message_pk == Message.id, col(Remark.signature).is_not(None))
                        .order_by(col(Remark.message_pk), col(Remark.ordinal)))
                    for pk, ordinal, sig, sender in rows:
                        assert sig is not None  # the query asks for signed remarks only
                        index.add_signature(f"{pk}.{ordinal}", bytes(sig), sender=sender or "")
            self.cache["campaigns"] = index
        campaigns: CampaignIndex = self.cache["campaigns"]
        return campaigns
