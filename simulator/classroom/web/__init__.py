"""The phone server for `countertalk classroom --phones`: aiohttp, the JSON API and the page.

The page (HTML, CSS and JavaScript in `static/`) is package data and loads nothing from
anywhere else, so a class works on a Wi-Fi with no internet.
"""
