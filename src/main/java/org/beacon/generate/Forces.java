package org.beacon.generate;

import java.util.List;

/** The 43 territorial forces of England and Wales, by their data.police.uk slug, with a short code prefix. */
public final class Forces {
  public record Force(String slug, String name, String prefix) {}

  public static final List<Force> ENGLAND_AND_WALES = List.of(
      new Force("west-midlands", "West Midlands Police", "WMP"),
      new Force("greater-manchester", "Greater Manchester Police", "GM"),
      new Force("merseyside", "Merseyside Police", "ME"),
      new Force("west-yorkshire", "West Yorkshire Police", "WY"),
      new Force("northumbria", "Northumbria Police", "NB"),
      new Force("south-yorkshire", "South Yorkshire Police", "SY"),
      new Force("lancashire", "Lancashire Constabulary", "LA"),
      new Force("nottinghamshire", "Nottinghamshire Police", "NT"),
      new Force("avon-and-somerset", "Avon and Somerset Constabulary", "AS"),
      new Force("bedfordshire", "Bedfordshire Police", "BD"),
      new Force("cambridgeshire", "Cambridgeshire Constabulary", "CB"),
      new Force("cheshire", "Cheshire Constabulary", "CH"),
      new Force("city-of-london", "City of London Police", "CL"),
      new Force("cleveland", "Cleveland Police", "CV"),
      new Force("cumbria", "Cumbria Constabulary", "CU"),
      new Force("derbyshire", "Derbyshire Constabulary", "DB"),
      new Force("devon-and-cornwall", "Devon & Cornwall Police", "DC"),
      new Force("dorset", "Dorset Police", "DO"),
      new Force("durham", "Durham Constabulary", "DU"),
      new Force("dyfed-powys", "Dyfed-Powys Police", "DP"),
      new Force("essex", "Essex Police", "EX"),
      new Force("gloucestershire", "Gloucestershire Constabulary", "GL"),
      new Force("gwent", "Gwent Police", "GW"),
      new Force("hampshire", "Hampshire Constabulary", "HA"),
      new Force("hertfordshire", "Hertfordshire Constabulary", "HE"),
      new Force("humberside", "Humberside Police", "HU"),
      new Force("kent", "Kent Police", "KE"),
      new Force("leicestershire", "Leicestershire Police", "LE"),
      new Force("lincolnshire", "Lincolnshire Police", "LI"),
      new Force("metropolitan", "Metropolitan Police Service", "MP"),
      new Force("norfolk", "Norfolk Constabulary", "NF"),
      new Force("north-wales", "North Wales Police", "NW"),
      new Force("north-yorkshire", "North Yorkshire Police", "NY"),
      new Force("northamptonshire", "Northamptonshire Police", "NH"),
      new Force("south-wales", "South Wales Police", "SW"),
      new Force("staffordshire", "Staffordshire Police", "ST"),
      new Force("suffolk", "Suffolk Constabulary", "SU"),
      new Force("surrey", "Surrey Police", "SR"),
      new Force("sussex", "Sussex Police", "SX"),
      new Force("thames-valley", "Thames Valley Police", "TV"),
      new Force("warwickshire", "Warwickshire Police", "WA"),
      new Force("west-mercia", "West Mercia Police", "WR"),
      new Force("wiltshire", "Wiltshire Police", "WI"));

  private Forces() {}

  public static Force bySlug(String slug) {
    return ENGLAND_AND_WALES.stream().filter(f -> f.slug().equals(slug)).findFirst().orElse(null);
  }
}
