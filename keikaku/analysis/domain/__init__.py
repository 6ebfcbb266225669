"""Japanese opinion analysis (広聴分析): pure computation, no Django.

Entry point: :func:`keikaku.analysis.domain.pipeline.analyze`. Modules, in pipeline order:
``normalize`` (matching form of text, sentences), ``lexicon`` (stop words, synonyms, user
dictionary), ``tokenize`` (SudachiPy content words), ``features`` (TF-IDF), ``assignment``
(measures), ``duplicates`` (duplicates and campaigns), ``backends`` (embedding and LLM
protocols), ``topics`` (clusters, MMR, map), ``keywords`` (statistics, KWIC, co-occurrence,
characteristic words), ``serialize`` (RESULT.json), ``csvinput`` (CSV inputs), ``evaluation``
(quality measures). Format: docs/formats/opinion-analysis.md.
"""
