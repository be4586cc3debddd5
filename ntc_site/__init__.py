"""ntc-site: the static bilingual open-data portal of Italy's National Technology Clusters.

The build is one pipeline, read top to bottom in `pipeline.py`: load -> validate -> model -> render -> write.
"""
__version__ = "1.0.0"
