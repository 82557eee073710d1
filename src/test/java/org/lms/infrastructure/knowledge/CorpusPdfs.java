package org.lms.infrastructure.knowledge;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.apache.pdfbox.pdmodel.PDDocument;
import org.apache.pdfbox.pdmodel.PDDocumentInformation;
import org.apache.pdfbox.pdmodel.PDPage;
import org.apache.pdfbox.pdmodel.PDPageContentStream;
import org.apache.pdfbox.pdmodel.common.PDRectangle;
import org.apache.pdfbox.pdmodel.font.PDType1Font;
import org.apache.pdfbox.pdmodel.font.Standard14Fonts;

/**
 * Writes the PDF half of the retrieval test corpus ({@code src/test/resources/knowledge/corpus}).
 * Run once and commit the output: the test reads the committed files, so it exercises PDFBox's
 * extraction of real PDFs rather than text handed in directly. Re-run only to change the corpus,
 * and re-check {@code questions.tsv} afterwards.
 *
 * <pre>mvn -B -o -q test-compile exec:java -Dexec.classpathScope=test \
 *   -Dexec.mainClass=org.lms.infrastructure.knowledge.CorpusPdfs</pre>
 */
public final class CorpusPdfs {

  private static final float MARGIN = 60;
  private static final float BODY_SIZE = 11;
  private static final float LEADING = 15;
  private static final float TITLE_SIZE = 16;

  private CorpusPdfs() {}

  /** One page: a heading and its paragraphs (plain ASCII, which the standard fonts can encode). */
  record Page(String heading, List<String> paragraphs) {}

  public static void main(String[] args) throws IOException {
    Path dir = Path.of(args.length > 0 ? args[0] : "src/test/resources/knowledge/corpus");
    Files.createDirectories(dir);
    write(dir.resolve("photosynthesis.pdf"), "Photosynthesis", photosynthesis());
    write(dir.resolve("newtons-laws.pdf"), "Newton's laws of motion", newtonsLaws());
    write(dir.resolve("french-revolution.pdf"), "The French Revolution", frenchRevolution());
  }

  /** Writes {@code pages} as a PDF, one corpus page per PDF page. */
  static void write(Path file, String title, List<Page> pages) throws IOException {
    PDType1Font body = new PDType1Font(Standard14Fonts.FontName.HELVETICA);
    PDType1Font bold = new PDType1Font(Standard14Fonts.FontName.HELVETICA_BOLD);
    try (PDDocument doc = new PDDocument()) {
      PDDocumentInformation info = new PDDocumentInformation();
      info.setTitle(title);
      doc.setDocumentInformation(info);
      for (Page page : pages) {
        PDPage pdfPage = new PDPage(PDRectangle.A4);
        doc.addPage(pdfPage);
        float width = pdfPage.getMediaBox().getWidth() - 2 * MARGIN;
        try (PDPageContentStream out = new PDPageContentStream(doc, pdfPage)) {
          out.beginText();
          out.newLineAtOffset(MARGIN, pdfPage.getMediaBox().getHeight() - MARGIN);
          out.setFont(bold, TITLE_SIZE);
          out.showText(page.heading());
          out.newLineAtOffset(0, -2 * LEADING);
          out.setFont(body, BODY_SIZE);
          for (String paragraph : page.paragraphs()) {
            for (String line : wrap(paragraph, body, width)) {
              out.showText(line);
              out.newLineAtOffset(0, -LEADING);
            }
            // a taller gap between paragraphs, which PDFTextStripper reads as a paragraph break
            out.newLineAtOffset(0, -LEADING);
          }
          out.endText();
        }
      }
      doc.save(file.toFile());
    }
  }

  private static List<String> wrap(String paragraph, PDType1Font font, float width)
      throws IOException {
    List<String> lines = new ArrayList<>();
    StringBuilder line = new StringBuilder();
    for (String word : paragraph.strip().split("\\s+")) {
      String candidate = line.isEmpty() ? word : line + " " + word;
      if (font.getStringWidth(candidate) / 1000 * BODY_SIZE > width && !line.isEmpty()) {
        lines.add(line.toString());
        line = new StringBuilder(word);
      } else {
        line = new StringBuilder(candidate);
      }
    }
    if (!line.isEmpty()) {
      lines.add(line.toString());
    }
    return lines;
  }

  static List<Page> photosynthesis() {
    return List.of(
        new Page(
            "Photosynthesis: how plants make their food",
            List.of(
                """
                Green plants, algae and some bacteria make their own food by a process called
                photosynthesis. They take in carbon dioxide from the air and water from the soil
                and, using energy from sunlight, turn them into glucose, a simple sugar. Oxygen
                is released as a by-product. In words: carbon dioxide and water, with light
                energy, become glucose and oxygen.
                """,
                """
                Photosynthesis takes place inside chloroplasts, small structures found mostly in
                the cells of the leaf. Each chloroplast holds stacks of thin membranes called
                thylakoids, surrounded by a fluid called the stroma. A leaf is built to collect
                light: it is broad and flat, and the palisade cells near its upper surface are
                packed with chloroplasts.
                """,
                """
                Chlorophyll is the pigment that captures the light. It absorbs red and blue light
                strongly but reflects green light, and that reflected light is the colour we see.
                In autumn, when a tree stops making chlorophyll and the old pigment breaks down,
                other pigments such as carotenoids show through and the foliage turns yellow and
                orange.
                """)),
        new Page(
            "The two stages of photosynthesis",
            List.of(
                """
                In the light-dependent reactions, which happen on the thylakoid membranes, light
                energy splits water molecules. Splitting water produces oxygen gas, which leaves
                the plant through tiny pores, and it frees electrons and hydrogen. The captured
                energy is held for a short time in two carrier molecules, ATP and NADPH.
                """,
                """
                The second stage, the Calvin cycle, happens in the stroma and does not need light
                directly. Here the plant fixes carbon: an enzyme called rubisco attaches carbon
                dioxide to a five-carbon sugar. Using the ATP and NADPH from the first stage, the
                cycle builds three-carbon sugars, which the plant joins together into glucose.
                """,
                """
                Plants use their glucose in many ways. Some of it is broken down in respiration
                to release energy for growth. Some is changed into starch and stored in roots,
                seeds and tubers such as potatoes, some becomes cellulose for cell walls, and
                some is combined with nitrates from the soil to make proteins.
                """)),
        new Page(
            "What limits the rate of photosynthesis",
            List.of(
                """
                The rate of photosynthesis depends on several limiting factors. If a plant in a
                dim room is moved closer to a lamp it photosynthesises faster, until something
                else runs short. Light intensity, the concentration of carbon dioxide and the
                temperature can each be the factor that holds the rate back.
                """,
                """
                Temperature matters because the reactions are controlled by enzymes. A warmer
                leaf works faster up to about 25 to 35 degrees Celsius, but above that the
                enzymes begin to lose their shape and the rate falls quickly. Growers of
                tomatoes heat their greenhouses and add extra carbon dioxide to the air to get
                bigger harvests.
                """,
                """
                Water is needed too, though it rarely limits the rate directly. When the soil is
                dry the plant closes its stomata, the small openings on the underside of the
                leaf, to save water. With the stomata closed less carbon dioxide can get in, and
                photosynthesis slows down.
                """)));
  }

  static List<Page> newtonsLaws() {
    return List.of(
        new Page(
            "Newton's first law: inertia",
            List.of(
                """
                Isaac Newton published three laws of motion in 1687 in his book the Principia.
                They describe how forces change the way objects move, and engineers still use
                them to predict the motion of cars, bridges and satellites.
                """,
                """
                The first law says that an object stays at rest, or keeps moving at a steady
                speed in a straight line, unless a resultant force acts on it. This tendency to
                resist any change in motion is called inertia. An object with more mass has more
                inertia: a loaded trolley is harder to set moving than an empty one.
                """,
                """
                In everyday life moving things seem to stop by themselves, but only because
                friction and air resistance act on them. A puck on smooth ice slides a long way
                because the friction is small. Inertia is also the reason for seat belts: when a
                vehicle brakes hard, the bodies of the passengers carry on forwards at the speed
                they had.
                """)),
        new Page(
            "Newton's second law: force, mass and acceleration",
            List.of(
                """
                The second law links force, mass and acceleration: the resultant force on an
                object equals its mass multiplied by its acceleration, F = m a. Force is measured
                in newtons, mass in kilograms and acceleration in metres per second squared. One
                newton is the force that gives a mass of one kilogram an acceleration of one
                metre per second squared.
                """,
                """
                The law means that the same push speeds up a light object more than a heavy one.
                Double the force on a shopping cart and its acceleration doubles; double the mass
                in the cart and push just as hard, and the acceleration halves.
                """,
                """
                Weight is a force as well. Near the surface of the Earth gravity pulls on every
                kilogram with a force of about 9.8 newtons, so a pupil with a mass of 50
                kilograms has a weight of about 490 newtons. On the Moon the mass is unchanged,
                but gravity is weaker and the weight is about six times smaller.
                """)),
        new Page(
            "Newton's third law: action and reaction",
            List.of(
                """
                The third law states that when one object exerts a force on a second object,
                the second exerts a force of equal size in the opposite direction on the first.
                Such pairs are often called action and reaction. They act on different objects,
                so they never cancel each other out.
                """,
                """
                A rocket moves by pushing hot exhaust gases backwards out of its engines, and the
                gases push the rocket forwards with an equal force. This works in the vacuum of
                outer space as well, because the rocket does not push against the air at all. A
                swimmer pushes water backwards with her hands and the water pushes her forwards.
                """,
                """
                When you stand on the floor, your weight presses down on the floor and the floor
                pushes up on you. When you jump, your legs push hard against the ground and the
                ground pushes you up into the air.
                """)));
  }

  static List<Page> frenchRevolution() {
    return List.of(
        new Page(
            "The causes of the French Revolution",
            List.of(
                """
                In 1789 France was an absolute monarchy ruled by King Louis XVI. Society was
                divided into three estates: the clergy, the nobility, and the Third Estate, which
                was everyone else, from rich merchants to poor peasants. The first two estates
                paid almost no taxes, while peasants paid heavy dues to the king, the church and
                their lords.
                """,
                """
                The government was close to bankruptcy. Wars, including French support for the
                American War of Independence, and the spending of the royal court at Versailles
                had left huge debts. A run of poor harvests made flour scarce, the cost of a loaf
                rose sharply, and many families in Paris spent most of their wages on bread.
                """,
                """
                New ideas spread as well. Writers of the Enlightenment such as Voltaire and
                Rousseau argued that power should come from the people and that all citizens
                should be equal before the law.
                """)),
        new Page(
            "1789: the Estates-General and the Bastille",
            List.of(
                """
                To raise money, the king called a meeting of the Estates-General in May 1789, the
                first for 175 years. The Third Estate demanded that votes be counted per person
                rather than per estate. Locked out of their meeting hall, its deputies gathered
                in an indoor tennis court and swore not to separate until France had a
                constitution. They called themselves the National Assembly.
                """,
                """
                On 14 July 1789 a crowd in Paris stormed the Bastille, a royal fortress and
                prison, in search of gunpowder. Its fall became a symbol of the people rising
                against the power of the king, and the day is still celebrated every year as the
                national holiday of France.
                """,
                """
                In August the Assembly abolished the feudal privileges of the nobles and adopted
                the Declaration of the Rights of Man and of the Citizen, which proclaimed that
                men are born and remain free and equal in rights.
                """)),
        new Page(
            "The Terror and the rise of Napoleon",
            List.of(
                """
                In 1792 France became a republic and went to war with Austria and Prussia. The
                king was tried for treason and executed by the guillotine in January 1793, and
                Queen Marie Antoinette followed later that year.
                """,
                """
                Facing enemies abroad and revolts at home, the Committee of Public Safety led by
                Maximilien Robespierre began the Reign of Terror. Anyone suspected of opposing
                the revolution could be arrested, and about 17,000 people were officially
                executed. In July 1794 Robespierre was himself arrested and sent to the
                guillotine.
                """,
                """
                A weaker government, the Directory, followed. In 1799 a successful young general,
                Napoleon Bonaparte, seized power in a coup. He later crowned himself emperor, but
                many changes of the revolution, such as equality before the law, lived on in his
                legal code.
                """)));
  }
}
