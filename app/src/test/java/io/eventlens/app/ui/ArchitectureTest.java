package io.eventlens.app.ui;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.Architectures.layeredArchitecture;
import static com.tngtech.archunit.library.GeneralCodingRules.ACCESS_STANDARD_STREAMS;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

import com.tngtech.archunit.base.DescribedPredicate;
import com.tngtech.archunit.core.domain.JavaClass;
import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import io.eventlens.core.kafka.KafkaClusterMetadata;
import io.eventlens.core.kafka.KafkaSource;
import org.junit.jupiter.api.Test;

/**
 * The layers of docs/decisions/0006-capture-pipeline.md ("Layers"): core has no UI and no CLI, the
 * capture seam knows no source kind, the UI never imports the demo, no package cycles, and only the
 * CLI (and the launcher) write to the standard streams, so the stdout contract of
 * docs/decisions/0004-cli-contract-and-live-demo.md holds.
 */
class ArchitectureTest {

    /** Production classes only: not test classes, nor core's test jar (on the classpath in a reactor build). */
    private static final JavaClasses CLASSES = new ClassFileImporter()
            .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
            .withImportOption(location -> !location.contains("-tests.jar"))
            .importPackages("io.eventlens");

    @Test
    void coreHasNoUiAndNoCli() {
        noClasses().that().resideInAPackage("io.eventlens.core..")
                .should().dependOnClassesThat().resideInAnyPackage("javafx..", "atlantafx..", "org.controlsfx..",
                        "picocli..", "io.eventlens.app..")
                .because("core is UI- and CLI-free so the CLI and the desktop app share it (STYLE.md habit 1)")
                .check(CLASSES);
    }

    @Test
    void layersOnlyUseTheLayersBelowThem() {
        layeredArchitecture().consideringOnlyDependenciesInLayers()
                .layer("Launcher").definedBy("io.eventlens.app")
                .layer("UI").definedBy("io.eventlens.app.ui..")
                .layer("CLI").definedBy("io.eventlens.app.cli..")
                .layer("Demo").definedBy("io.eventlens.app.demo..")
                .layer("Sources").definedBy("io.eventlens.core.kafka..", "io.eventlens.core.amqp..",
                        "io.eventlens.core.artifact..")
                .layer("Triage").definedBy("io.eventlens.core.triage..")
                .layer("Pipeline").definedBy("io.eventlens.core.capture..")
                .layer("Store").definedBy("io.eventlens.core.store..")
                .layer("Flows").definedBy("io.eventlens.core.flows..")
                .layer("DeadLetters").definedBy("io.eventlens.core.deadletter..")
                .layer("Analysis").definedBy("io.eventlens.core.analysis..", "io.eventlens.core.layout..",
                        "io.eventlens.core.format..")
                .layer("Extraction").definedBy("io.eventlens.core.extract..")
                .layer("Model").definedBy("io.eventlens.core.model..")
                .whereLayer("Launcher").mayNotBeAccessedByAnyLayer()
                .whereLayer("UI").mayOnlyBeAccessedByLayers("Launcher")
                .whereLayer("CLI").mayOnlyBeAccessedByLayers("Launcher")
                .whereLayer("Demo").mayOnlyBeAccessedByLayers("CLI", "Launcher")
                .whereLayer("Triage").mayOnlyBeAccessedByLayers("UI", "CLI", "Launcher")
                .whereLayer("Sources").mayOnlyBeAccessedByLayers("Triage", "UI", "CLI", "Launcher")
                .whereLayer("Pipeline").mayOnlyBeAccessedByLayers("Sources", "UI", "CLI", "Launcher")
                .whereLayer("Store").mayOnlyBeAccessedByLayers("Pipeline", "Flows", "DeadLetters", "Sources", "Triage", "UI", "CLI", "Launcher")
                .whereLayer("DeadLetters").mayOnlyBeAccessedByLayers("UI", "CLI", "Launcher")
                .whereLayer("Flows").mayOnlyBeAccessedByLayers("Pipeline", "UI", "CLI", "Launcher")
                .whereLayer("Analysis").mayOnlyBeAccessedByLayers("Flows", "DeadLetters", "Pipeline", "Triage", "UI", "CLI", "Launcher")
                .whereLayer("Extraction").mayOnlyBeAccessedByLayers("Analysis", "DeadLetters", "Pipeline", "UI", "CLI", "Launcher")
                .because("sources feed the pipeline, the pipeline the store; analysis reads events; the flow"
                        + " summaries analyze what the pipeline stored (docs/decisions/0009-flow-summaries.md), the"
                        + " dead-letter report reads it (docs/decisions/0012-dead-letter-report.md); the UI"
                        + " and the CLI sit on top side by side (STYLE.md habit 14)")
                .check(CLASSES);
    }

    @Test
    void theCaptureSeamKnowsNoSourceKind() {
        noClasses().that().resideInAnyPackage("io.eventlens.core.capture..", "io.eventlens.core.store..")
                .should().dependOnClassesThat().resideInAnyPackage("io.eventlens.core.kafka..", "org.apache.kafka..",
                        "io.eventlens.core.amqp..", "com.rabbitmq..")
                .because("a new source kind adds a class; the pipeline and the store never ask which kind runs"
                        + " (STYLE.md habit 16)")
                .check(CLASSES);
    }

    @Test
    void theUiNeverImportsTheDemo() {
        noClasses().that().resideInAPackage("io.eventlens.app.ui..")
                .should().dependOnClassesThat().resideInAPackage("io.eventlens.app.demo..")
                .because("the launcher wires the demo in (io.eventlens.app.DesktopServices); the UI only knows"
                        + " AppServices.Demo")
                .check(CLASSES);
    }

    @Test
    void viewsOnlyTalkToViewModels() {
        DescribedPredicate<JavaClass> views = DescribedPredicate.describe("JavaFX views and dialogs",
                c -> c.isAssignableTo("javafx.scene.Node") || c.isAssignableTo("javafx.scene.control.Dialog"));
        DescribedPredicate<JavaClass> coreServices = JavaClass.Predicates.resideInAnyPackage(
                        "io.eventlens.core.store..", "io.eventlens.core.capture..")
                .or(JavaClass.Predicates.assignableTo(KafkaSource.class))
                .or(JavaClass.Predicates.equivalentTo(KafkaClusterMetadata.class));
        noClasses().that().resideInAPackage("io.eventlens.app.ui..").and(views)
                .should().dependOnClassesThat(coreServices)
                .because("only view models access core services: stores, captures, clusters (STYLE.md habit 2);"
                        + " a view may hold a value such as the KafkaCaptureConfig its dialog returns")
                .check(CLASSES);
    }

    @Test
    void packagesAreFreeOfCycles() {
        slices().matching("io.eventlens.(**)").should().beFreeOfCycles().check(CLASSES);
    }

    @Test
    void onlyTheCliAndTheLauncherWriteToStandardStreams() {
        noClasses().that().resideOutsideOfPackage("io.eventlens.app.cli..")
                .and().doNotHaveFullyQualifiedName("io.eventlens.app.Main")
                .should(ACCESS_STANDARD_STREAMS)
                .because("stdout is the CLI's machine-readable contract (docs/decisions/0004-cli-contract-and-live-demo.md)")
                .check(CLASSES);
    }
}
