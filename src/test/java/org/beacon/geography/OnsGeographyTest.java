package org.beacon.geography;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import org.apache.spark.sql.Row;
import org.beacon.generate.Forces;
import org.beacon.runtime.BeaconException;
import org.junit.jupiter.api.Test;

/** Beacon's copy of the ONS lookups, and lookups delivered with faults. */
class OnsGeographyTest {
  private static final String LAD_HEADER = "LAD17CD,LAD17NM,CSP17CD,CSP17NM,PFA17CD,PFA17NM,FID";

  @Test
  void theBundledLookupsPlaceEveryLsoaInItsAreasAndEveryForceArea() {
    List<Row> rows = OnsGeography.read(null);
    assertEquals(34_753, rows.size(), "every 2011 LSOA in England and Wales once (the ONS README's count)");
    assertEquals(8_270, rows.stream().map(r -> r.getString(2)).distinct().count(), "wards");
    assertEquals(348, rows.stream().map(r -> r.getString(4)).distinct().count(), "local authorities");
    assertEquals(314, rows.stream().map(r -> r.getString(6)).distinct().count(), "community safety partnerships");
    Row city = rows.stream().filter(r -> r.getString(0).equals("E01000001")).findFirst().orElseThrow();
    assertEquals(List.of("E01000001", "City of London 001A", "E05009288", "Aldersgate", "E09000001", "City of London", "E22000180",
        "City of London", "E23000034", "London, City of", "city-of-london"), List.of(city.mkString("|").split("\\|")));
    Set<String> forces = rows.stream().map(r -> r.getString(10)).collect(Collectors.toCollection(TreeSet::new));
    assertEquals(Forces.ENGLAND_AND_WALES.stream().map(Forces.Force::slug).collect(Collectors.toCollection(TreeSet::new)), forces,
        "each of the 43 police force areas is a data.police.uk force");
  }

  @Test
  void aFaultNamesTheFileRowAndField() throws IOException {
    Path dir = Files.createTempDirectory("ons-");
    Files.writeString(dir.resolve("LSOA11_WD17_LAD17_EW_LU.csv"), "\uFEFFLSOA11CD,LSOA11NM,WD17CD,WD17NM,WD17NMW,LAD17CD,LAD17NM,FID\n"
        + "E01000001,City of London 001A,E05009288,Aldersgate,,E09000001,City of London,1\n"
        + "E01000002,City of London 001B,E05009302,Cripplegate,,E0900001,City of London,2\n");
    Files.writeString(dir.resolve("LAD17_CSP17_PFA17_EW_LU.csv"), LAD_HEADER + "\n"
        + "E09000001,City of London,E22000180,City of London,E23000034,\"London, City of\",179\n");
    BeaconException e = assertThrows(BeaconException.class, () -> OnsGeography.read(dir));
    assertEquals("The ONS lookup LSOA11_WD17_LAD17_EW_LU.csv row 3, field LAD17CD: 'E0900001' is not a GSS code (a letter and "
        + "eight digits).", e.getMessage());
    Files.writeString(dir.resolve("LSOA11_WD17_LAD17_EW_LU.csv"), "LSOA11CD,LSOA11NM,WD17CD,WD17NM,WD17NMW,LAD17CD,LAD17NM,FID\n"
        + "E01004736,Westminster 018C,E05000644,St James's,,E09000033,Westminster,4490\n");
    e = assertThrows(BeaconException.class, () -> OnsGeography.read(dir));
    assertTrue(e.getMessage().contains("row 2, field LAD17CD: 'E09000033' is not in LAD17_CSP17_PFA17_EW_LU.csv"), e.getMessage());
    Files.delete(dir.resolve("LAD17_CSP17_PFA17_EW_LU.csv"));
    e = assertThrows(BeaconException.class, () -> OnsGeography.read(dir));
    assertTrue(e.getMessage().contains("no file holds the second"), e.getMessage());
  }
}
