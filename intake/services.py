"""Shared, lazily built resources the stages need (limits, hints, catalogue, language models).

Built once per process and only when a stage asks: a poll that finds no remark never loads
spaCy or the embedding model. Whatever depends on a consultation (its catalogue, the sorting hints,
the project classifier) is built once per consultation key and kept; the default consultation's
live under the plain cache names ("hints", "projects", "matcher"), another's under "NAME:KEY".
The language models and the type classifier are shared by all consultations.
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
from storage.consultations import Scope
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

    def _name(self, what: str, key: str | None) -> str:
        """The cache entry of `what` for a consultation (the default one keeps the plain name)."""
        return what if key is None or key == self.settings.default_key else f"{what}:{key}"

    @property
    def catalogue(self) -> Catalogue:
        """The default consultation's catalogue."""
        return self.catalogue_for(None)

    def catalogue_for(self, key: str | None) -> Catalogue:
        """A consultation's catalogue, read once per process."""
        name = self._name("catalogue", key)
        if name not in self.cache:
            from classifiers.catalogue import CatalogueError, load_catalogue

            path = self.settings.catalogue_path_of(key)
            if not path.exists():
                default = key in (None, self.settings.default_key)
                where = "'catalogue'" if default else f"[consultations.{key}] catalogue"
                raise ConfigError(f"catalogue {path} not found; check {where} in the config")
            try:
                self.cache[name] = load_catalogue(path)
            except CatalogueError as exc:
                raise ConfigError(f"{path}: {exc}") from None
        catalogue: Catalogue = self.cache[name]
        return catalogue

    def hints(self, key: str | None = None) -> ConsultationHints:
        name = self._name("hints", key)
        if name not in self.cache:
            from classifiers.sorting import ConsultationHints

            c = self.settings.consultation_for(key)
            self.cache[name] = ConsultationHints(
                name=c.name,
                office_addresses=tuple(c.office_addresses),
                reference_prefix=c.reference_prefix,
                projects=tuple((p.id, p.title) for p in self.catalogue_for(key).projects),
                thread_ids=frozenset(self._thread_ids()),
                topics=lambda text: self._topics(text, key),
                relevance=lambda text: self._relevance(text, key),
                period=(c.opens_at, c.deadline),
                sort_model=self._sort_model(),
            )
        hints: ConsultationHints = self.cache[name]
        return hints

    def forget_hints(self) -> dict[str, Any]:
        """Drop every consultation's hints (threads stored since must be seen); returns the old ones."""
        return {name: self.cache.pop(name) for name in list(self.cache) if name.split(":")[0] == "hints"}

    def _topics(self, text: str, key: str | None = None) -> tuple[str, ...]:
        """Catalogue topics of a text (the keyword matcher, built on first use)."""
        name = self._name("matcher", key)
        if name not in self.cache:
            from classifiers.matching import KeywordMatcher

            self.cache[name] = KeywordMatcher(self.catalogue_for(key), self.nlp)
        return tuple(self.cache[name].topics(text))

    def _relevance(self, text: str, key: str | None = None) -> float:
        """Closeness in meaning of a text to the consultation's catalogue (static vectors; other languages than
        Polish by the multilingual encoder), built on first use."""
        name = self._name("relevance", key)
        if name not in self.cache:
            from classifiers.relevance import MultilingualRelevance, static_relevance

            catalogue = self.catalogue_for(key)
            relevance = static_relevance(catalogue, self.nlp)
            full = self._full_encoder()
            self.cache[name] = MultilingualRelevance(catalogue, relevance, full) if full is not None else relevance
        return float(self.cache[name](text))

    def _sort_model(self) -> Any | None:
        """The sort model refitted by `uwagi train` with the staff's triage, else None (the shipped one)."""
        from intake.models import current_sort_model

        return current_sort_model(self.settings)

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

    def project_classifier(self, key: str | None = None) -> ProjectClassifier:
        """The project classifier of a consultation's catalogue, built once per process.

        The trained model learned the default consultation's projects: another consultation's
        classifier works from its catalogue (keywords, embeddings) alone until it has its own.
        """
        name = self._name("projects", key)
        if name not in self.cache:
            from classifiers.projects import ProjectClassifier

            embedder, fallback = self._embedders()
            default = name == "projects"
            self.cache[name] = ProjectClassifier(self.catalogue_for(key), self.nlp, embedder=embedder,
                                                 model=self.trained_model if default else None, fallback=fallback)
        projects: ProjectClassifier = self.cache[name]
        return projects

    def _embedders(self) -> tuple[Encoder, Encoder | None]:
        """(embedder, fallback) shared by every consultation's classifier: one encoder per process."""
        if "embedders" not in self.cache:
            from classifiers.embeddings import Embedder

            cls = self.settings.classification
            full = Embedder(enabled=cls.embeddings, store=self._vector_store())
            embedder: Encoder = full
            fallback: Encoder | None = None
            if cls.embeddings and cls.embedding_signal != "full":
                from classifiers.nlp import lemmatizer
                from classifiers.static_vectors import StaticEmbedder

                embedder = StaticEmbedder(lemmatizer(self.nlp).lemma)
                fallback = full if cls.embedding_signal == "fast+full" else None
            self.cache["embedders"] = (embedder, fallback)
            self.cache["full_encoder"] = full if cls.embeddings else None
        embedders: tuple[Encoder, Encoder | None] = self.cache["embedders"]
        return embedders

    def _full_encoder(self) -> Encoder | None:
        """The multilingual encoder (shared with the classifiers), or None when embeddings are off."""
        self._embedders()
        encoder: Encoder | None = self.cache["full_encoder"]
        return encoder

    def catalogue_fit(self, keys: list[str], text: str) -> dict[str, float]:
        """How well each consultation's catalogue fits a text: its best project score (0..1)."""
        from intake.stages.classify import best_project_score

        limit = self.settings.limits.max_classified_chars
        return {key: best_project_score(self.project_classifier(key), text[:limit]) for key in keys}

    def assign(self, work: Any, text_fit: bool = True) -> Any:
        """The consultation of a message (decided once; see intake.consultations)."""
        current = getattr(work, "assignment", None)
        if current is None or (current.tentative and text_fit):
            from intake.consultations import assign

            work.assignment = assign(self.settings, work.received_at, work.parsed, work.raw,
                                     self.catalogue_fit if text_fit else None)
        return work.assignment

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

    def campaign_index(self, key: str | None = None) -> CampaignIndex:
        """The campaign index of one consultation, rebuilt from stored signatures in their original
        order: the same text sent to two consultations is two campaigns, answered in each."""
        key = key or self.settings.default_key
        name = self._name("campaigns", key)
        if name not in self.cache:
            from classifiers.campaigns import CampaignIndex

            index = CampaignIndex()
            if self.engine is not None:
                own = Scope(key, default=key == self.settings.default_key).where(col(Remark.consultation))
                with Session(self.engine) as session:
                    rows = session.exec(
                        select(Remark.message_pk, Remark.ordinal, Remark.signature, Message.sender_email)
                        .where(Remark.message_pk == Message.id, col(Remark.signature).is_not(None), own)
                        .order_by(col(Remark.message_pk), col(Remark.ordinal)))
                    for pk, ordinal, sig, sender in rows:
                        assert sig is not None  # the query asks for signed remarks only
                        index.add_signature(f"{pk}.{ordinal}", bytes(sig), sender=sender or "")
            self.cache[name] = index
        campaigns: CampaignIndex = self.cache[name]
        return campaigns
