"""Inputs, settings and results of the opinion analysis (広聴分析): frozen dataclasses."""

from __future__ import annotations

from dataclasses import dataclass

__all__ = [
    "AnalysisConfig",
    "AnalysisCounts",
    "AnalysisResult",
    "Campaign",
    "CharacteristicWord",
    "CharacteristicWords",
    "Cluster",
    "CooccurrenceEdge",
    "CooccurrenceNetwork",
    "CooccurrenceNode",
    "DuplicateGroup",
    "KeywordStat",
    "KwicLine",
    "MapPoint",
    "MeasureProfile",
    "MeasureScore",
    "MeasureSummary",
    "Opinion",
    "OpinionResult",
]


@dataclass(frozen=True)
class Opinion:
    """One citizen opinion (意見) as written, with optional attributes (年代, 地区 …)."""

    id: str
    text: str
    attributes: tuple[tuple[str, str], ...] = ()

    def attribute(self, name: str) -> str:
        for key, value in self.attributes:
            if key == name:
                return value
        return ""


@dataclass(frozen=True)
class MeasureProfile:
    """What the plan says about one measure (施策): the text opinions are matched against."""

    code: str
    title: str
    description: str = ""
    vision: str = ""  # 目指す姿
    initiatives: tuple[str, ...] = ()  # 主な取組
    indicators: tuple[str, ...] = ()  # 成果指標
    keywords: tuple[str, ...] = ()  # staff keywords
    examples: tuple[str, ...] = ()  # texts of opinions staff confirmed for this measure


@dataclass(frozen=True)
class AnalysisConfig:
    """Settings of one analysis; the defaults are the ones measured in benchmarks/."""

    seed: int = 0
    # measure assignment
    top_measures: int = 3
    assignment_threshold: float = 0.05
    secondary_threshold: float = 0.025
    word_weight: float = 0.5
    char_ngram_range: tuple[int, int] = (1, 2)
    title_weight: int = 3
    keyword_weight: int = 2
    example_weight: float = 0.5
    feedback_weight: float = 0.3
    feedback_share: float = 0.5
    # duplicates and campaigns
    shingle_size: int = 3
    near_duplicate_threshold: float = 0.7
    campaign_similarity: float = 0.5
    campaign_min_terms: int = 6
    campaign_min_neighbours: int = 5
    campaign_min_size: int = 10
    lsh_bucket_limit: int = 64
    # topics and map
    embedding_dimensions: int = 100
    topic_min_opinions: int = 6
    min_topic_size: int = 3
    max_topics: int = 8
    silhouette_sample: int = 1000
    topic_label_terms: int = 5
    # keywords
    keyword_limit: int = 100
    keyword_limit_by_pos: int = 30
    cooccurrence_terms: int = 60
    cooccurrence_edges: int = 100
    cooccurrence_min_count: int = 2
    characteristic_limit: int = 10
    prior_strength: float = 100.0
    kwic_keywords: int = 10
    kwic_lines: int = 5
    kwic_width: int = 20
    # summaries
    summary_size: int = 5
    mmr_lambda: float = 0.7


@dataclass(frozen=True)
class MeasureScore:
    code: str
    score: float


@dataclass(frozen=True)
class OpinionResult:
    id: str
    measures: tuple[MeasureScore, ...]  # best first; empty = 該当なし
    duplicate_group: str | None
    campaign: bool
    cluster: str | None
    confirmed: bool = False  # the measure was fixed by staff


@dataclass(frozen=True)
class DuplicateGroup:
    id: str
    members: tuple[str, ...]  # opinion ids in input order
    representative: str
    exact: bool  # every member has the same normalised text


@dataclass(frozen=True)
class Campaign:
    id: str
    members: tuple[str, ...]
    representative: str


@dataclass(frozen=True)
class Cluster:
    id: str
    measure: str | None  # None: among the unassigned opinions
    label_terms: tuple[str, ...]
    representative: str
    members: tuple[str, ...]
    density: float  # mean pairwise cosine similarity of the members' embeddings
    summary: tuple[str, ...] = ()  # MMR-selected opinion ids
    llm_summary: str | None = None


@dataclass(frozen=True)
class KeywordStat:
    term: str  # label (how the word is shown)
    normalized: str  # canonical form used for matching
    pos: str
    tf: int
    df: int


@dataclass(frozen=True)
class KwicLine:
    opinion_id: str
    left: str
    keyword: str
    right: str


@dataclass(frozen=True)
class CooccurrenceNode:
    term: str
    pos: str
    df: int
    community: int


@dataclass(frozen=True)
class CooccurrenceEdge:
    source: str
    target: str
    count: int
    jaccard: float


@dataclass(frozen=True)
class CooccurrenceNetwork:
    nodes: tuple[CooccurrenceNode, ...]
    edges: tuple[CooccurrenceEdge, ...]


@dataclass(frozen=True)
class CharacteristicWord:
    term: str
    pos: str
    count: int
    z: float  # log-odds ratio z-score (informative Dirichlet prior)
    significant: bool  # z ≥ 1.96


@dataclass(frozen=True)
class CharacteristicWords:
    dimension: str  # "measure" or an attribute column name
    value: str  # measure code or attribute value
    size: int  # opinions in the group
    words: tuple[CharacteristicWord, ...]


@dataclass(frozen=True)
class MeasureSummary:
    measure: str | None  # None: 該当なし
    opinions: int
    voices: int  # one per duplicate group or campaign
    summary: tuple[str, ...]  # MMR-selected opinion ids
    llm_summary: str | None = None


@dataclass(frozen=True)
class MapPoint:
    id: str
    x: float
    y: float


@dataclass(frozen=True)
class AnalysisCounts:
    opinions: int
    voices: int
    duplicate_groups: int
    in_duplicate_groups: int
    campaigns: int
    in_campaigns: int
    unassigned: int


@dataclass(frozen=True)
class AnalysisResult:
    opinions: tuple[OpinionResult, ...]
    duplicate_groups: tuple[DuplicateGroup, ...]
    campaigns: tuple[Campaign, ...]
    clusters: tuple[Cluster, ...]
    keywords: tuple[KeywordStat, ...]
    keywords_by_pos: tuple[tuple[str, tuple[KeywordStat, ...]], ...]
    kwic: tuple[tuple[str, tuple[KwicLine, ...]], ...]
    cooccurrence: CooccurrenceNetwork
    characteristic_words: tuple[CharacteristicWords, ...]
    summaries: tuple[MeasureSummary, ...]
    map: tuple[MapPoint, ...]
    counts: AnalysisCounts
    config: AnalysisConfig
