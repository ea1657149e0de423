"""Extractors: numbered structures, slogans, figures and cited documents.

Each module holds one stage: a function from a document (with its layout
layers) to the spans of its own layer.
"""
