package org.beacon.generate;

import java.util.List;

/**
 * Targets for forces other than the home force. The MSF peers spread evenly (offsets summing to zero,
 * shuffled per measure) around the configured MSF average, so their unweighted mean is that average;
 * forces outside the group scatter around it.
 */
final class PeerTargets {
  private PeerTargets() {}

  static double target(GeneratorSettings g, World world, World.ForceArea force, String homeKey, String measure, int year) {
    if (force.isHome()) {
      return g.anchors(homeKey).at(year);
    }
    // Without a configured MSF average the peers centre on the home force's own target.
    String msfKey = "targets.msf-average." + measure;
    double average = (g.hasAnchors(msfKey) ? g.anchors(msfKey) : g.anchors(homeKey)).at(year);
    double spread = g.raw().getDouble("targets.peer-spread-pp");
    List<World.ForceArea> peers = world.peers();
    int index = peers.indexOf(force);
    if (index < 0) {
      return average + spread * Rng.of(g.seed(), "peer-offset", force.force().slug(), measure).normal();
    }
    int m = peers.size();
    int[] order = new int[m];
    for (int i = 0; i < m; i++) {
      order[i] = i;
    }
    Rng rng = Rng.of(g.seed(), "peer-order", measure);
    for (int i = m - 1; i > 0; i--) {
      int j = rng.nextInt(i + 1);
      int t = order[i];
      order[i] = order[j];
      order[j] = t;
    }
    double position = m == 1 ? 0 : -1 + 2.0 * order[index] / (m - 1);
    return average + spread * position;
  }
}
