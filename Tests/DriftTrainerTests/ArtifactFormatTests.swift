import DriftTrainer
import Testing

@Suite struct ArtifactFormatTests {
    @Test func formatVersionIsOne() { #expect(DriftTrainer.artifactFormatVersion == 1) }
}
