"""Template tag libraries shipped with manouche: static, i18n, tz."""
