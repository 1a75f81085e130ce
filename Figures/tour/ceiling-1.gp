# ceiling-1.gp: a figure, drawn by MIPlot; its data is ceiling-1.dat, beside this file.
# Redraw it from this directory:
#   gnuplot ceiling-1.gp                       writes ceiling-1.svg
#   gnuplot -e 'format="png"' ceiling-1.gp     writes ceiling-1.png (formats: svg, png, pdf, dumb)
#   gnuplot -e 'format="dumb"' ceiling-1.gp    draws it as text in the terminal
#   gnuplot -e 'output="other.svg"' ceiling-1.gp   writes another file
if (!exists("format")) format = 'svg'
if (!exists("output")) output = (format eq 'dumb') ? '' : 'ceiling-1.' . format
if (!exists("dumb_width")) dumb_width = 100
if (!exists("dumb_height")) dumb_height = 30
if (!exists("dumb_color")) dumb_color = 0
if (format eq 'svg') { set terminal svg size 640,480 font 'sans,11' noenhanced background rgb 'white' }
if (format eq 'png') { set terminal pngcairo size 640,480 font 'sans,11' noenhanced background rgb 'white' }
if (format eq 'pdf') { set terminal pdfcairo size 6.4in,4.8in font 'sans,11' noenhanced background rgb 'white' }
if (format eq 'dumb') { if (dumb_color) { set terminal dumb size dumb_width,dumb_height noenhanced ansi256 } else { set terminal dumb size dumb_width,dumb_height noenhanced mono } }
if (format ne 'svg' && format ne 'png' && format ne 'pdf' && format ne 'dumb') {
    exit error 'format must be svg, png, pdf or dumb, not ' . format
}
if (output ne '') { set output output }
set encoding utf8
data = 'ceiling-1.dat'

# Panel 1 (row 1, column 1): InfoNCE with the optimal critic saturates at log K
reset
set title 'InfoNCE with the optimal critic saturates at log K'
set xlabel 'true MI (nats)'
set ylabel 'mean InfoNCE estimate (nats)'
set key inside top left vertical Left reverse opaque box lc rgb '#BBBBBB' spacing 1.2 samplen 2.5 width 1
if (format ne 'dumb') { set grid back lt 1 dt solid lc rgb '#DDDDDD' lw 1 }
plot \
    data index 0 using 1:2 with linespoints lw 1.5 pt 7 ps 1 lc rgb '#0072B2' title 'batch = 16', \
    data index 1 using 1:2 with linespoints lw 1.5 pt 7 ps 1 lc rgb '#D55E00' title 'batch = 64', \
    data index 2 using 1:2 with linespoints lw 1.5 pt 7 ps 1 lc rgb '#009E73' title 'batch = 256', \
    data index 3 using 1:2 with lines lc rgb '#000000' lw 2 title 'true MI'

unset output
