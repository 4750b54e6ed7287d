import DriftCore
import Testing

@testable import DriftConfig

@Suite struct CloudEventConfigurationTests {
    @Test func mappingIsReadWithDefaults() throws {
        let config = try ConfigurationLoader.load(
            yaml: """
                models:
                  iris:
                    task: multiclass
                    features: {sepal_length: numeric, sepal_width: numeric, colour: categorical}
                    cloudevents:
                      inference_service: sklearn-iris
                      namespace: prod
                      pair_timeout: 2m
                      inputs: {tensor: input-0, columns: [sepal_length, ~, sepal_width]}
                      outputs: {prediction: label, scores: proba, classes: [setosa, versicolor, virginica]}
                  indexed:
                    task: binary
                    features: {a: numeric, b: numeric}
                    cloudevents:
                      inputs: {columns: {0: b, 2: a}}
                      outputs: {kind: score}
                  plain:
                    task: binary
                    features: {a: numeric}
                """, file: "ce.yaml")
        let iris = try #require(config.model("iris")?.cloudEvents)
        #expect(iris.inferenceService == "sklearn-iris")
        #expect(iris.namespace == "prod")
        #expect(iris.pairTimeoutSeconds == 120)
        #expect(iris.inputs.tensor == "input-0")
        #expect(iris.inputs.columns == ["sepal_length", nil, "sepal_width"])
        #expect(iris.outputs.prediction == "label")
        #expect(iris.outputs.scores == "proba")
        #expect(iris.outputs.classes == ["setosa", "versicolor", "virginica"])
        let indexed = try #require(config.model("indexed")?.cloudEvents)
        #expect(indexed.inputs.columns == ["b", nil, "a"])
        #expect(indexed.outputs.kind == .score)
        #expect(config.model("plain")?.cloudEvents == CloudEventMapping())
    }

    @Test func cloudEventProblemsNameTheirPlace() {
        do {
            _ = try ConfigurationLoader.load(
                yaml: """
                    models:
                      a:
                        task: regression
                        features: {x: numeric, y: numeric}
                        cloudevents:
                          inputs: {columns: [x, z]}
                          outputs: {kind: scores, classes: [p, p]}
                          pair_timout: 1m
                      b:
                        task: binary
                        features: {x: numeric}
                        cloudevents: {inference_service: a}
                    """, file: "bad.yaml")
            Issue.record("a bad cloudevents mapping loaded")
        } catch {
            let text = error.description
            #expect(text.contains("bad.yaml:6:"), "\(text)")
            #expect(text.contains("models.a.cloudevents.inputs.columns: 'z' is not a feature of this model"), "\(text)")
            #expect(
                text.contains("models.a.cloudevents.outputs.kind: 'scores' does not fit a regression model"), "\(text)")
            #expect(text.contains("models.a.cloudevents.outputs.classes: a class is named twice"), "\(text)")
            #expect(
                text.contains(
                    "bad.yaml:8:7: models.a.cloudevents.pair_timout: unknown key 'pair_timout' (did you mean 'pair_timeout'?)"
                ), "\(text)")
            #expect(
                text.contains("bad.yaml:12:38: models.b.cloudevents.inference_service: model 'a' already takes"),
                "\(text)")
        }
    }
}
