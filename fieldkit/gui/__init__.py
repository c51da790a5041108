"""fieldkit.gui"""
