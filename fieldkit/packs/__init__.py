"""fieldkit.packs"""
