"""Models related to Site, for the CurrentSiteManager tests."""
