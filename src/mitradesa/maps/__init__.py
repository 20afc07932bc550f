"""The map of a region's villages: what colours them (a status or a part of an index, in
classes), where each is drawn (an imported boundary, else its point) and the legend."""

from mitradesa.maps.building import RegionMap, VillageOnMap, build_map
from mitradesa.maps.measures import STATUS, LegendClass, Measure, measures_of

__all__ = ["STATUS", "LegendClass", "Measure", "RegionMap", "VillageOnMap", "build_map",
           "measures_of"]
