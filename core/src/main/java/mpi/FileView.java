package mpi;

/**
 * A file view as {@link File#getView()} reports it: displacement in bytes, elementary type, filetype and data
 * representation, as the program passed them to {@link File#setView}.
 */
public final class FileView
{
    private final long disp;
    private final Datatype etype;
    private final Datatype filetype;
    private final String datarep;

    /**
     * @param disp     displacement in bytes
     * @param etype    elementary datatype
     * @param filetype filetype
     * @param datarep  data representation
     */
    public FileView(final long disp, final Datatype etype, final Datatype filetype, final String datarep)
    {
        this.disp = disp;
        this.etype = etype;
        this.filetype = filetype;
        this.datarep = datarep;
    }

    /**
     * @return displacement in bytes
     */
    public long getDisp()
    {
        return disp;
    }

    /**
     * @return elementary datatype
     */
    public Datatype getEType()
    {
        return etype;
    }

    /**
     * @return filetype
     */
    public Datatype getFileType()
    {
        return filetype;
    }

    /**
     * @return data representation
     */
    public String getDataRep()
    {
        return datarep;
    }

    @Override
    public String toString()
    {
        return "FileView(disp=" + disp + ", etype=" + etype + ", filetype=" + filetype + ", datarep=" + datarep + ")";
    }
}
