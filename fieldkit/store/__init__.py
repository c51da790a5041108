"""fieldkit.store"""
