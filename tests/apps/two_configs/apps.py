from manouche.apps import AppConfig


class PlainConfig(AppConfig):
    name = "tests.apps.two_configs"


class OtherConfig(AppConfig):
    name = "tests.apps.two_configs"
    label = "two_configs_other"
    default = False
